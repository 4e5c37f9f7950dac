import { integerFlag } from '../cli/args.js';
import type { CommandContext } from '../cli/context.js';
import { openSession } from '../engines/open-session.js';
import type { Session } from '../engines/session.js';
import { JamDbError } from '../errors.js';

/** The waits `check` and `baseline` honour, read the way `migrate` reads them. */
export interface LiveSessionSettings {
  lockWaitMs: number;
  connectTimeoutMs: number;
}

export function liveSessionSettings({ args }: CommandContext): LiveSessionSettings {
  const seconds = (flag: string, envName: string, fallback: number, min: number) => {
    const fromFlag = integerFlag(args.values[flag], `--${flag}`, args.command, min);
    if (fromFlag !== undefined) return fromFlag;
    const fromEnv = process.env[envName];
    if (fromEnv === undefined || fromEnv === '') return fallback;
    if (!/^\d+$/.test(fromEnv) || Number(fromEnv) < min) {
      throw new JamDbError(
        'config',
        `${envName} is "${fromEnv}"; it takes a whole number of at least ${min}.`,
        `Set it to e.g. ${fallback}, or unset it.`,
      );
    }
    return Number(fromEnv);
  };
  return {
    lockWaitMs: seconds('lock-wait', 'JAM_DB_LOCK_WAIT', 60, 0) * 1000,
    connectTimeoutMs: seconds('connect-timeout', 'JAM_DB_CONNECT_TIMEOUT', 10, 1) * 1000,
  };
}

/** One connection to the database of DATABASE_URL, for a command that reads or adopts it. */
export function openLiveSession(
  context: CommandContext,
  settings: LiveSessionSettings,
): Promise<Session> {
  return openSession(context.target, {
    purpose: `jam-db ${context.args.command}`,
    connectTimeoutMs: settings.connectTimeoutMs,
    folderLockTimeoutMs: settings.lockWaitMs,
  });
}

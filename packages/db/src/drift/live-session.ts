import { type CommandContext, connectTimeoutMsOf, lockWaitMsOf } from '../cli/context.js';
import { openMigrationSession } from '../engines/migration-session.js';
import { openSession } from '../engines/open-session.js';
import type { Session } from '../engines/session.js';

/** The waits `check` and `baseline` honour, read the way `migrate` reads them. */
export interface LiveSessionSettings {
  lockWaitMs: number;
  connectTimeoutMs: number;
}

export function liveSessionSettings({ args }: CommandContext): LiveSessionSettings {
  return {
    lockWaitMs: lockWaitMsOf(args),
    connectTimeoutMs: connectTimeoutMsOf(args),
  };
}

/** The options every session of `check` and `baseline` opens with. */
function sessionOptions(context: CommandContext, settings: LiveSessionSettings) {
  return {
    purpose: `jam-db ${context.args.command}`,
    connectTimeoutMs: settings.connectTimeoutMs,
    folderLockTimeoutMs: settings.lockWaitMs,
    onNotice: (line: string) => context.out.progress(line),
  };
}

/** One connection to the database of DATABASE_URL, for a command that reads or adopts it. */
export function openLiveSession(
  context: CommandContext,
  settings: LiveSessionSettings,
): Promise<Session> {
  return openSession(context.target, sessionOptions(context, settings));
}

/**
 * The connection `baseline` records migrations on under the migration lock: a
 * direct one, as for `migrate` (see openMigrationSession).
 */
export function openLockingSession(
  context: CommandContext,
  settings: LiveSessionSettings,
): Promise<Session> {
  return openMigrationSession(context.target, sessionOptions(context, settings));
}

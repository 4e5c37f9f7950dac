import { readMigrationFolder } from '../drizzle-kit/migration-folder.js';
import { JamDbError } from '../errors.js';
import { downScriptName } from '../migrations/down-script.js';
import { extensionsCreatedBy } from '../migrations/extensions.js';
import { Migrator, type ProgressEvent } from '../migrations/migrator.js';
import { describeTarget, resolveTarget, type Target } from '../target/target.js';
import { integerFlag, integerProblem, type ParsedCommand } from './args.js';
import { formatDuration, type Output } from './output.js';

export interface CommandContext {
  args: ParsedCommand;
  out: Output;
  target: Target;
}

export function createContext(args: ParsedCommand, out: Output): CommandContext {
  return { args, out, target: resolveTarget() };
}

/** Node's timers hold at most 2^31 - 1 ms; a longer wait would fire at once instead. */
const longestTimerMs = 2 ** 31 - 1;
const longestWaitSeconds = Math.floor(longestTimerMs / 1000);

/** --lock-wait / JAM_DB_LOCK_WAIT in milliseconds. */
export const lockWaitMsOf = (args: ParsedCommand): number =>
  setting(args, 'lock-wait', 'JAM_DB_LOCK_WAIT', 60, 0, longestWaitSeconds) * 1000;

/** --connect-timeout / JAM_DB_CONNECT_TIMEOUT in milliseconds. */
export const connectTimeoutMsOf = (args: ParsedCommand): number =>
  setting(args, 'connect-timeout', 'JAM_DB_CONNECT_TIMEOUT', 10, 1, longestWaitSeconds) * 1000;

export function createMigrator({ args, out, target }: CommandContext): Migrator {
  const lockWaitMs = lockWaitMsOf(args);
  const folder = readMigrationFolder(args.migrationsDir);
  return new Migrator({
    target,
    folder,
    lockWaitMs,
    statementLockTimeoutMs: setting(
      args,
      'lock-timeout',
      'JAM_DB_LOCK_TIMEOUT',
      5000,
      1,
      longestTimerMs,
    ),
    // The pause doubles from 0.5 s each retry; past 20 it would outgrow a timer.
    lockRetries: setting(args, 'lock-retries', undefined, 3, 0, 20),
    session: {
      purpose: `jam-db ${args.command}`,
      folderLockTimeoutMs: lockWaitMs,
      connectTimeoutMs: connectTimeoutMsOf(args),
      onNotice: (line) => out.progress(line),
      extensions: extensionsCreatedBy(folder.migrations),
    },
    onProgress: (event) => reportProgress(out, event, args.migrationsDir),
  });
}

function reportProgress(out: Output, event: ProgressEvent, dir: string): void {
  switch (event.kind) {
    case 'done': {
      // "ran", not "applied": a shared transaction keeps nothing until it commits.
      const verb = event.direction === 'up' ? 'ran' : 'reverted';
      const how =
        event.mode.kind === 'shared-transaction'
          ? ''
          : `; ${event.mode.kind.replace('-', ' ')}: ${event.mode.reason}`;
      out.progress(`  ${verb.padEnd(8)} ${event.tag}  (${formatDuration(event.durationMs)}${how})`);
      return;
    }
    case 'retry':
      out.progress(
        `  lock_timeout in ${event.tag}: trying again in ${formatDuration(event.waitMs)} (retry ${event.attempt})`,
      );
      return;
    case 'accepted-edit':
      out.progress(
        `  accepted the edited file of ${event.tag}: recorded its new hash, ran nothing`,
      );
      return;
    case 'enum-value-redo':
      out.progress(
        `  ${event.tag} uses an enum value added earlier in this run: rolled back, running again with a commit after each ADD VALUE`,
      );
      return;
    case 'resume':
      out.progress(
        `  ${event.tag}: ${event.segmentsDone} of ${event.segmentsTotal} segments were applied by an earlier run; continuing with segment ${event.segmentsDone + 1}`,
      );
      return;
    case 'interrupted-statement':
      out.progress(`  ${event.tag}: ${event.finding}`);
      return;
    case 'down-changed':
      out.progress(
        `  note: ${downScriptName(dir, event.tag)} changed since ${event.tag} was applied; running the current file (prove it with \`pnpm db:verify\`)`,
      );
      return;
    case 'start':
      return;
  }
}

/** A whole-number setting: the flag, else the environment variable, else the default. */
export function setting(
  args: ParsedCommand,
  flag: string,
  envName: string | undefined,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const fromFlag = integerFlag(args.values[flag], `--${flag}`, args.command, min, max);
  if (fromFlag !== undefined) return fromFlag;
  const fromEnv = envName ? process.env[envName] : undefined;
  if (fromEnv === undefined || fromEnv === '') return fallback;
  const problem = integerProblem(fromEnv, min, max);
  if (problem) {
    throw new JamDbError(
      'config',
      `${envName} is "${fromEnv}"; it takes ${problem}.`,
      `Set it to e.g. ${fallback}, or unset it.`,
    );
  }
  return Number(fromEnv);
}

export const databaseLabel = (context: CommandContext) => describeTarget(context.target);

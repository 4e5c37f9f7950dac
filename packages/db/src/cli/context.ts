import { describeTarget, resolveTarget, type Target } from '../client/target.js';
import { JamDbError } from '../errors.js';
import { readMigrationFolder } from '../migrations/journal.js';
import { Migrator } from '../migrations/migrator.js';
import { integerFlag, type ParsedCommand } from './args.js';
import { formatDuration, type Output } from './output.js';

export interface CommandContext {
  args: ParsedCommand;
  out: Output;
  target: Target;
}

export function createContext(args: ParsedCommand, out: Output): CommandContext {
  return { args, out, target: resolveTarget() };
}

export function createMigrator({ args, out, target }: CommandContext): Migrator {
  const lockWaitMs = lockWaitSeconds(args) * 1000;
  return new Migrator({
    target,
    folder: readMigrationFolder(args.migrationsDir),
    lockWaitMs,
    session: { purpose: `jam-db ${args.command}`, folderLockTimeoutMs: lockWaitMs },
    onProgress: (event) => {
      if (event.kind === 'done') {
        // "ran", not "applied": nothing is kept until the run's transaction commits.
        const verb = event.direction === 'up' ? 'ran' : 'reverted';
        out.progress(`  ${verb.padEnd(8)} ${event.tag}  (${formatDuration(event.durationMs)})`);
      }
    },
  });
}

/**
 * How long to wait for another run's lock (the advisory lock on a server, the
 * folder lock on PGlite): --lock-wait, else JAM_DB_LOCK_WAIT, else 60 seconds.
 */
function lockWaitSeconds(args: ParsedCommand): number {
  const fromFlag = integerFlag(args.values['lock-wait'], '--lock-wait', args.command, 0);
  if (fromFlag !== undefined) return fromFlag;
  const fromEnv = process.env.JAM_DB_LOCK_WAIT;
  if (fromEnv === undefined || fromEnv === '') return 60;
  if (!/^\d+$/.test(fromEnv)) {
    throw new JamDbError(
      'config',
      `JAM_DB_LOCK_WAIT is "${fromEnv}"; it takes a whole number of seconds.`,
      'Set it to e.g. 30, or unset it.',
    );
  }
  return Number(fromEnv);
}

export const databaseLabel = (context: CommandContext) => describeTarget(context.target);

import { describeTarget, resolveTarget, type Target } from '../client/target.js';
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
  const lockWaitSeconds = integerFlag(args.values['lock-wait'], '--lock-wait', args.command, 0);
  return new Migrator({
    target,
    folder: readMigrationFolder(args.migrationsDir),
    lockWaitMs: lockWaitSeconds === undefined ? undefined : lockWaitSeconds * 1000,
    session: { purpose: `jam-db ${args.command}` },
    onProgress: (event) => {
      if (event.kind === 'done') {
        const verb = event.direction === 'up' ? 'applied' : 'rolled back';
        out.progress(`  ${verb.padEnd(11)} ${event.tag}  (${formatDuration(event.durationMs)})`);
      }
    },
  });
}

export const databaseLabel = (context: CommandContext) => describeTarget(context.target);

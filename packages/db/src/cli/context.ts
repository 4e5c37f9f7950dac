import type { LiveSessionOptions } from '../drift/live-session.js';
import { readMigrationFolder } from '../drizzle-kit/migration-folder.js';
import { downScriptName } from '../migrations/down-script.js';
import { extensionsCreatedBy } from '../migrations/extensions.js';
import { Migrator, type ProgressEvent } from '../migrations/migrator.js';
import { describeTarget, resolveTarget } from '../target/target.js';
import { BackfillReporter } from './backfill-report.js';
import type { CommandContext, ParsedCommand } from './command.js';
import { migratorOptions, type OptionSpecs, type OptionValues, parseOptions } from './options.js';
import { formatDuration, type Output } from './output.js';

export type { CommandContext } from './command.js';

export function createContext<O extends OptionSpecs>(
  args: ParsedCommand<O>,
  out: Output,
): CommandContext<O> {
  return { args, out, target: resolveTarget() };
}

/** --lock-wait / JAM_DB_LOCK_WAIT in milliseconds. */
export const lockWaitMsOf = (args: ParsedCommand): number => args.values['lock-wait'] * 1000;

/** --connect-timeout / JAM_DB_CONNECT_TIMEOUT in milliseconds. */
export const connectTimeoutMsOf = (args: ParsedCommand): number =>
  args.values['connect-timeout'] * 1000;

export function createMigrator({ args, out, target }: CommandContext): Migrator {
  const lockWaitMs = lockWaitMsOf(args);
  const folder = readMigrationFolder(args.migrationsDir);
  const settings = migratorSettings(args);
  const backfills = new BackfillReporter(
    !out.json && process.stderr.isTTY ? process.stderr : null,
    (line) => out.progress(line),
  );
  return new Migrator({
    target,
    folder,
    lockWaitMs,
    statementLockTimeoutMs: settings['lock-timeout'],
    lockRetries: settings['lock-retries'],
    session: {
      purpose: `jam-db ${args.command}`,
      folderLockTimeoutMs: lockWaitMs,
      connectTimeoutMs: connectTimeoutMsOf(args),
      onNotice: (line) => out.progress(line),
      extensions: extensionsCreatedBy(folder.migrations),
    },
    onProgress: (event) =>
      event.kind === 'backfill'
        ? backfills.report(event)
        : reportProgress(out, event, args.migrationsDir),
  });
}

/**
 * `status` opens a migrator without taking migrate's flags; their environment
 * variables and defaults still apply to it.
 */
function migratorSettings(args: ParsedCommand): OptionValues<typeof migratorOptions> {
  const values = args.values as Partial<OptionValues<typeof migratorOptions>>;
  return 'lock-timeout' in values
    ? (values as OptionValues<typeof migratorOptions>)
    : parseOptions(migratorOptions, [], false, args.usageError).values;
}

/** The connection settings of `check` and `baseline`, read the way `migrate` reads them. */
export function liveSessionOptions({ args, out, target }: CommandContext): LiveSessionOptions {
  return {
    target,
    purpose: `jam-db ${args.command}`,
    lockWaitMs: lockWaitMsOf(args),
    connectTimeoutMs: connectTimeoutMsOf(args),
    onNotice: (line) => out.progress(line),
  };
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

export const databaseLabel = (context: CommandContext) => describeTarget(context.target);

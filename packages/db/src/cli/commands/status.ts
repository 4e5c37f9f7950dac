import { describeProgress, type MigrationStatus } from '../../migrations/migrator.js';
import { type CommandContext, defineCommand } from '../command.js';
import { createMigrator, databaseLabel } from '../context.js';
import type { OptionSpecs } from '../options.js';
import { reportStrays } from '../stray-warnings.js';

const options = {} as const satisfies OptionSpecs;

export const status = defineCommand({
  name: 'status',
  synopsis: '',
  summary: 'applied and pending migrations (exit 3: pending)',
  options,
  run,
});

async function run(context: CommandContext<typeof options>): Promise<number> {
  const { args, out } = context;
  const migrator = createMigrator(context);
  const history = await migrator.status();
  const strays = reportStrays(out, migrator.folder);
  const exitCode =
    history.changed.length > 0 || history.unknown.length > 0
      ? 1
      : history.pending.length > 0
        ? 3
        : 0;
  if (args.json) {
    out.document({ ...statusDocument(history), strays });
    return exitCode;
  }
  out.line(`Database: ${databaseLabel(context)}`);
  const last = lastMigratedBy(history);
  if (last)
    out.line(
      `Last migrated by @jam/db ${last.packageVersion}${last.appliedAt ? ` at ${last.appliedAt}` : ''}`,
    );
  const outOfOrder = new Set(history.outOfOrder);
  const partial = new Map(history.partial.map((p) => [p.tag, p]));
  const rows: [string, string, string][] = [
    ...history.applied.map(({ migration, row }): [string, string, string] => [
      'applied',
      migration.tag,
      row.appliedAt ?? '(applied by another tool)',
    ]),
    ...history.changed.map(({ migration }): [string, string, string] => [
      'CHANGED',
      migration.tag,
      'file differs from what was applied',
    ]),
    ...history.pending.map((m): [string, string, string] => {
      const progress = partial.get(m.tag);
      const notes = [
        progress ? `${describeProgress(progress)}; \`pnpm db:migrate\` continues it` : '',
        outOfOrder.has(m) ? 'out of order: older than an applied migration' : '',
      ];
      return [
        outOfOrder.has(m) ? 'pending!' : progress ? 'PARTIAL' : 'pending',
        m.tag,
        notes.filter(Boolean).join('; '),
      ];
    }),
    ...history.unknown.map((r): [string, string, string] => [
      'UNKNOWN',
      r.tag ?? `drizzle id ${r.id}`,
      'applied, but not in the folder',
    ]),
  ];
  const width = Math.max(0, ...rows.map(([, tag]) => tag.length));
  for (const [state, tag, note] of rows)
    out.line(`  ${state.padEnd(9)} ${tag.padEnd(width)}  ${note}`.trimEnd());
  out.line();
  if (exitCode === 1)
    out.line('The database and the migrations folder disagree (see CHANGED / UNKNOWN above).');
  else if (exitCode === 3)
    out.line(`${history.pending.length} pending migration(s): run \`pnpm db:migrate\`.`);
  else out.line('Up to date.');
  for (const progress of history.partial)
    out.line(
      `${progress.tag}: ${describeProgress(progress)} (applied in part since ${progress.startedAt})${progress.nextStatement === null ? '' : `; next: ${progress.nextStatement}`}.`,
    );
  return exitCode;
}

export function statusDocument(history: MigrationStatus) {
  const partial = new Map(history.partial.map((p) => [p.tag, p]));
  return {
    applied: history.applied.map(({ migration, row }) => ({
      tag: migration.tag,
      hash: row.hash,
      appliedAt: row.appliedAt,
    })),
    pending: history.pending.map((m) => {
      const progress = partial.get(m.tag);
      return progress
        ? {
            tag: m.tag,
            segmentsApplied: progress.segmentsDone,
            segmentsTotal: progress.segmentsTotal,
            interruptedSegment:
              progress.runningSegment === null ? null : progress.runningSegment + 1,
            partSince: progress.startedAt,
            nextStatement: progress.nextStatement,
          }
        : { tag: m.tag };
    }),
    outOfOrder: history.outOfOrder.map((m) => ({ tag: m.tag })),
    changed: history.changed.map(({ migration, row }) => ({
      tag: migration.tag,
      appliedHash: row.hash,
      fileHash: migration.hash,
    })),
    unknown: history.unknown.map((r) => ({ tag: r.tag, hash: r.hash, appliedAt: r.appliedAt })),
    lastMigratedBy: lastMigratedBy(history),
  };
}

/** The @jam/db version of the newest run that applied something, as the database recorded it. */
function lastMigratedBy(
  history: MigrationStatus,
): { packageVersion: string; appliedAt: string | null } | null {
  const rows = [...history.applied.map((a) => a.row), ...history.unknown].filter(
    (r) => r.packageVersion,
  );
  const newest = rows.sort((a, b) => b.id - a.id)[0];
  return newest ? { packageVersion: newest.packageVersion!, appliedAt: newest.appliedAt } : null;
}

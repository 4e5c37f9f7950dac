import type { History } from '../../migrations/history.js';
import type { CommandContext } from '../context.js';
import { createMigrator, databaseLabel } from '../context.js';
import { reportStrays } from '../stray-warnings.js';

export async function statusCommand(context: CommandContext): Promise<number> {
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
    ...history.pending.map((m): [string, string, string] => [
      outOfOrder.has(m) ? 'pending!' : 'pending',
      m.tag,
      outOfOrder.has(m) ? 'out of order: older than an applied migration' : '',
    ]),
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
  return exitCode;
}

export function statusDocument(history: History) {
  return {
    applied: history.applied.map(({ migration, row }) => ({
      tag: migration.tag,
      hash: row.hash,
      appliedAt: row.appliedAt,
    })),
    pending: history.pending.map((m) => ({ tag: m.tag })),
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
  history: History,
): { packageVersion: string; appliedAt: string | null } | null {
  const rows = [...history.applied.map((a) => a.row), ...history.unknown].filter(
    (r) => r.packageVersion,
  );
  const newest = rows.sort((a, b) => b.id - a.id)[0];
  return newest ? { packageVersion: newest.packageVersion!, appliedAt: newest.appliedAt } : null;
}

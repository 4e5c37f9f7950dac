import type { MigrationFolder } from '../migrations/journal.js';
import { unwrapIdempotentDo } from '../migrations/statements.js';
import { parseRename, reverseRenameStatement, undoRenameInSnapshot } from './renames.js';
import { type Snapshot, snapshotsAround } from './snapshots.js';
import { invertStatement, isUnmodeled } from './sql-inverses.js';
import { stagesBetween } from './staging.js';

export interface DerivedDown {
  statements: string[];
  /** What the down script does that loses data ('drops table "x"', 'drops column "t"."c"'). */
  dataLoss: string[];
  /** Why a person has to finish the script; empty when it is complete. */
  manual: string[];
  /** What the down cannot restore but does not block it (data changes). */
  notes: string[];
}

/**
 * The down script of one migration: the schema after it, taken back to the
 * schema before it. From drizzle-kit's snapshots when the folder has them (with
 * renames read from the up script, so drizzle-kit never asks), plus inverses
 * read from the SQL for what snapshots do not model; from the SQL alone for
 * hand-written migrations.
 */
export async function deriveDown(folder: MigrationFolder, position: number): Promise<DerivedDown> {
  const migration = folder.migrations[position]!;
  const { before, after } = await snapshotsAround(folder, position);
  const createdTables = new Set<string>();
  const manual: string[] = [];
  const notes: string[] = [];
  const invert = (statement: string) => {
    const inverse = invertStatement(statement, createdTables);
    if (inverse.manual) manual.push(inverse.manual);
    if (inverse.note) notes.push(inverse.note);
    return inverse.statements;
  };

  const upStatements = migration.statements.map(unwrapIdempotentDo);
  const renames = upStatements.map((s) => ({ statement: s, rename: parseRename(s) }));
  const schemaStatements =
    after && before
      ? await diffSnapshots(
          after,
          before,
          renames.flatMap((r) => (r.rename ? [r.rename] : [])),
        )
      : [];
  const snapshotsSaidNothing = schemaStatements.length === 0;

  let statements: string[];
  if (snapshotsSaidNothing) {
    // A hand-written migration (its snapshot equals the one before): undo it statement by statement.
    statements = [...renames]
      .reverse()
      .flatMap(({ statement, rename }) =>
        rename ? [reverseRenameStatement(rename)] : invert(statement),
      );
  } else {
    // Snapshots cover tables, columns, keys, indexes, enums…; the SQL covers the rest.
    for (const { statement } of renames) {
      if (/^\s*create\s+(unlogged\s+)?table/i.test(statement))
        invertStatement(statement, createdTables);
    }
    const unmodeled = upStatements.filter(isUnmodeled).reverse().flatMap(invert);
    statements = [...unmodeled, ...schemaStatements];
  }
  const runnable = statements.map(castOnRetype);
  return {
    statements: runnable,
    dataLoss: findDataLoss(runnable),
    manual,
    notes: [...notes, ...findRiskyNotNull(runnable)],
  };
}

/** drizzle-kit's own differ, run from after to before through stages that never make it ask. */
async function diffSnapshots(
  after: Snapshot,
  before: Snapshot,
  renames: NonNullable<ReturnType<typeof parseRename>>[],
): Promise<string[]> {
  const { generateMigration } = await import('drizzle-kit/api');
  const inOldNames = structuredClone(after);
  for (const rename of [...renames].reverse()) undoRenameInSnapshot(inOldNames, rename);
  const statements = [...renames].reverse().map(reverseRenameStatement);
  let from = inOldNames;
  for (const stage of stagesBetween(inOldNames, before)) {
    statements.push(...(await generateMigration(from as never, stage as never)));
    from = stage;
  }
  return statements;
}

/** Down statements that lose data, and how the script's header says so. */
const lossRules: [RegExp, (m: RegExpExecArray) => string][] = [
  [
    /^drop\s+table\s+(?:if\s+exists\s+)?((?:"[^"]+"\.)?"[^"]+"|[\w.]+)/i,
    (m) => `drops table ${m[1]}`,
  ],
  [
    /^alter\s+table\s+((?:"[^"]+"\.)?"[^"]+"|[\w.]+)\s+drop\s+column\s+(?:if\s+exists\s+)?("[^"]+"|\w+)/i,
    (m) => `drops column ${m[1]}.${m[2]}`,
  ],
  [
    /^alter\s+table\s+((?:"[^"]+"\.)?"[^"]+"|[\w.]+)\s+alter\s+column\s+("[^"]+"|\w+)\s+set\s+data\s+type/i,
    (m) => `changes ${m[1]}.${m[2]} back to its earlier type`,
  ],
];

export function findDataLoss(statements: string[]): string[] {
  return statements.flatMap((statement) => {
    for (const [pattern, describe] of lossRules) {
      const match = pattern.exec(statement.trim());
      if (match) return [describe(match)];
    }
    return [];
  });
}

const serialTypes: Record<string, string> = {
  smallserial: 'smallint',
  serial: 'integer',
  bigserial: 'bigint',
};
const retypeStatement =
  /^(alter\s+table\s+(?:"[^"]+"\.)?"[^"]+"\s+alter\s+column\s+("[^"]+")\s+set\s+data\s+type\s+)([^;]+?)\s*;?\s*$/i;

/**
 * drizzle-kit writes a type change as bare `SET DATA TYPE <snapshot type>`: the
 * serial shorthands are not types there, and many changes (text → integer) have
 * no implicit cast. Real types and an explicit `USING` make the statement run.
 */
function castOnRetype(statement: string): string {
  const match = retypeStatement.exec(statement.trim());
  if (!match || /\susing\s/i.test(match[3]!)) return statement;
  const type = serialTypes[match[3]!.trim().toLowerCase()] ?? match[3]!.trim();
  return `${match[1]}${type} USING ${match[2]}::${type};`;
}

/** A down that sets NOT NULL again fails while rows hold NULL there: say so in the script. */
function findRiskyNotNull(statements: string[]): string[] {
  return statements.flatMap((statement) => {
    const match =
      /^alter\s+table\s+((?:"[^"]+"\.)?"[^"]+")\s+alter\s+column\s+("[^"]+")\s+set\s+not\s+null/i.exec(
        statement.trim(),
      );
    return match
      ? [`sets NOT NULL on ${match[1]}.${match[2]} again, which fails while rows hold NULL there`]
      : [];
  });
}

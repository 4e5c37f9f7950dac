import { unwrapIdempotentDo } from '../drizzle-kit/breakpoints.js';
import type { MigrationFolder } from '../drizzle-kit/migration-folder.js';
import {
  parseRename,
  reverseRenameStatement,
  undoRenameInSnapshot,
} from '../drizzle-kit/renames.js';
import { type Snapshot, snapshotsAround } from '../drizzle-kit/snapshots.js';
import { stagesBetween } from '../drizzle-kit/staging.js';
import { ObjectHistory } from './object-history.js';
import { type InverseContext, invertStatement, isUnmodeled, strip } from './sql-inverses.js';

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
  const manual: string[] = [];
  const notes: string[] = [];
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

  // Each statement is inverted knowing what existed just before it ran.
  const history = historyBefore(folder, position);
  const context: InverseContext = {
    createdTables: new Set(),
    history,
    tablesBefore: new Set(Object.values(before?.tables ?? {}).map((t) => t.name)),
  };
  const inverses = renames.map(({ statement, rename }) => {
    const wanted = rename || snapshotsSaidNothing || isUnmodeled(statement);
    const inverse = rename
      ? { statements: [reverseRenameStatement(rename)] }
      : invertStatement(statement, context);
    history.record(strip(statement));
    if (!wanted || rename) return rename ? inverse.statements : [];
    if (inverse.manual) manual.push(inverse.manual);
    if (inverse.note) notes.push(inverse.note);
    return inverse.statements;
  });
  // A hand-written migration (its snapshot equals the one before) is undone statement by
  // statement; otherwise snapshots cover tables, columns, keys, indexes, enums… and the SQL the rest.
  const fromSql = inverses.reverse().flat();
  const statements = orderDrops(
    snapshotsSaidNothing
      ? fromSql
      : [...fromSql.filter((s) => !isRenameUndo(s)), ...schemaStatements],
  );
  const runnable = statements.flatMap((s) => castOnRetype(s, before));
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
    statements.push(
      ...(await generateMigration(from as never, stage as never)).map(namePrimaryKey),
    );
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
  // A column moved to an enum rebuilt with fewer values keeps every row or fails: nothing is lost.
  const rebuiltEnums = statements.flatMap(
    (s) => /^create\s+type\s+(\S+)\s+as\s+enum\b/i.exec(s.trim())?.[1] ?? [],
  );
  const ontoRebuiltEnum = (statement: string) =>
    rebuiltEnums.some(
      (type) =>
        statement.trim().endsWith(`::text::${type};`) ||
        statement.trim().endsWith(`::text[]::${type}[];`),
    );
  return statements.flatMap((statement) => {
    if (ontoRebuiltEnum(statement)) return [];
    for (const [pattern, describe] of lossRules) {
      const match = pattern.exec(statement.trim());
      // The default schema goes without saying.
      if (match) return [describe(match).replace(/"public"\./g, '')];
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
  /^(alter\s+table\s+(?:"([^"]+)"\.)?"([^"]+)"\s+alter\s+column\s+"([^"]+)"\s+set\s+data\s+type\s+)([^;]+?)\s*;?\s*$/i;

/**
 * drizzle-kit writes a type change as bare `SET DATA TYPE <snapshot type>`: the
 * serial shorthands are not types there, and many changes (text → integer) have
 * no implicit cast. Real types and an explicit `USING` make the statement run.
 */
export function castOnRetype(statement: string, before: Snapshot | null): string[] {
  const match = retypeStatement.exec(statement.trim());
  if (!match || /\susing\s/i.test(match[5]!)) return [statement];
  const [, head, schema, table, column, written] = match as unknown as string[];
  const type = serialTypes[written!.trim().toLowerCase()] ?? written!.trim();
  // A default of the later type may not cast to the earlier one (42804): it goes first and comes back after.
  const alter = head!.replace(/\s+set\s+data\s+type\s+$/i, '');
  const earlierDefault =
    before?.tables[`${schema ?? 'public'}.${table}`]?.columns[column!]?.default;
  return [
    `${alter} DROP DEFAULT;`,
    `${head}${type} USING "${column}"::${type};`,
    ...(earlierDefault !== undefined && earlierDefault !== null
      ? [`${alter} SET DEFAULT ${String(earlierDefault)};`]
      : []),
  ];
}

/** A down that sets NOT NULL again fails while rows hold NULL there: say so in the script. */
export function findRiskyNotNull(statements: string[]): string[] {
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

/** What the migrations before `position` left behind, read from their SQL. */
function historyBefore(folder: MigrationFolder, position: number): ObjectHistory {
  const history = new ObjectHistory();
  for (const migration of folder.migrations.slice(0, position))
    for (const statement of migration.statements)
      history.record(strip(unwrapIdempotentDo(statement)));
  return history;
}

const isRenameUndo = (statement: string) =>
  /^alter\s+(table|type|index)\s+.*\srename\s/is.test(statement);

const dropOf = (kind: RegExp) => (statement: string) => kind.test(statement.trim());
const dropsIndexOrConstraint = dropOf(/^(drop\s+index|alter\s+table\s+.*\sdrop\s+constraint)\s/is);
const dropsColumnOrTable = dropOf(/^(drop\s+table|alter\s+table\s+.*\sdrop\s+column)\s/is);
const dropsLate = dropOf(/^drop\s+(function|procedure|extension|schema)\s/is);

/**
 * Drops in an order PostgreSQL accepts: an index or constraint goes before the
 * column or table it belongs to (which would take it along, failing the drop
 * that follows), and functions, extensions and schemas go after everything
 * that may use them.
 */
export function orderDrops(statements: string[]): string[] {
  const firstBulkDrop = statements.findIndex(dropsColumnOrTable);
  let ordered = statements;
  if (firstBulkDrop >= 0) {
    const hoisted = ordered.filter((s, i) => i > firstBulkDrop && dropsIndexOrConstraint(s));
    const rest = ordered.filter((s, i) => !(i > firstBulkDrop && dropsIndexOrConstraint(s)));
    rest.splice(firstBulkDrop, 0, ...hoisted);
    ordered = rest;
  }
  // A function dropped and defined again (its earlier definition restored) keeps its place.
  const redefined = (drop: string) => {
    const name = /^drop\s+\w+\s+(?:if\s+exists\s+)?([^\s(]+)/i.exec(drop.trim())?.[1];
    return ordered.some(
      (s) => s !== drop && name !== undefined && /^create\s/i.test(s.trim()) && s.includes(name),
    );
  };
  const late = (s: string) => dropsLate(s) && !redefined(s);
  return [...ordered.filter((s) => !late(s)), ...ordered.filter(late)];
}

/**
 * drizzle-kit cannot name the primary key it drops from a column and writes a
 * commented-out placeholder instead. PostgreSQL names a column's primary key
 * `<table>_pkey`, which is what the statement needs.
 */
export function namePrimaryKey(statement: string): string {
  const placeholder =
    /--\s*ALTER TABLE ((?:"[^"]+"\.)?"([^"]+)") DROP CONSTRAINT "<constraint_name>";/.exec(
      statement,
    );
  if (!placeholder) return statement;
  return `ALTER TABLE ${placeholder[1]} DROP CONSTRAINT "${placeholder[2]!.slice(0, 58)}_pkey";`;
}

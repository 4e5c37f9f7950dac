import type { Snapshot, SnapshotColumn } from '../drizzle-kit/snapshots.js';
import { type ColumnCopies, copiesFor, findTable, NoCopy, replaceColumn } from './column-copies.js';
import type { PhasedChange } from './recognise.js';
import { cutName, qualified, quote, temporaryName } from './sql-names.js';

/** What one drizzle-kit statement becomes: steps for the expand, and for the contract. */
export interface PhasedForm {
  expand: string[];
  /** Empty when nothing needs a contract (a volatile default breaks no running code). */
  contract: string[];
  /** One line for the user: what was written instead of the statement. */
  change: string;
}

export { NoCopy };

/** How a backfill written here runs: small batches with a pause, so the app's writes keep up. */
export const backfillLine = '-- jam-db:backfill batch=1000 pause=10ms';

/**
 * The phased form of one change, read against the snapshot of the schema before
 * the migration. NoCopy (with the reason) where the phased form would break
 * something: the statement then stays as drizzle-kit wrote it.
 */
export function phasedForm(
  change: PhasedChange,
  before: Snapshot,
  droppedLater: ReadonlySet<string> = new Set(),
): PhasedForm | NoCopy {
  if (change.kind === 'rename-table') return renameTable(change, before);
  const table = findTable(before, change.schema, change.table);
  if (!table) return new NoCopy(`"${change.table}" is not a table of the schema before it`);
  const keys = [
    ...Object.values(table.columns).filter((c) => c.primaryKey === true),
    ...Object.values(table.compositePrimaryKeys).flatMap((k) => k.columns),
  ];
  if (keys.length !== 1)
    return new NoCopy(
      `"${change.table}" has no single-column primary key, which the batched backfill follows`,
    );
  if (change.kind === 'volatile-default') return volatileDefault(change);
  const columnName = change.kind === 'rename-column' ? change.from : change.column;
  const column = table.columns[columnName];
  if (!column) return new NoCopy(`"${change.table}" has no column "${columnName}" before it`);
  if (column.identity !== undefined || column.generated !== undefined)
    return new NoCopy(`"${change.table}"."${columnName}" is an identity or generated column`);
  const to = change.kind === 'rename-column' ? change.to : temporaryName(change.column);
  const copies = copiesFor(before, table, columnName, to, droppedLater);
  if (copies instanceof NoCopy) return copies;
  const target = qualified(change.schema, change.table);
  return change.kind === 'rename-column'
    ? renameColumn(target, change, column, copies)
    : changeType(target, change, column, copies);
}

function renameTable(
  change: Extract<PhasedChange, { kind: 'rename-table' }>,
  before: Snapshot,
): PhasedForm | NoCopy {
  if (!findTable(before, change.schema, change.from))
    return new NoCopy(`"${change.from}" is not a table of the schema before it`);
  const old = qualified(change.schema, change.from);
  return {
    // A view of one table with SELECT * is updatable: old code keeps reading and writing through it.
    expand: [
      `ALTER TABLE ${old} RENAME TO ${quote(change.to)};`,
      `CREATE VIEW ${old} AS SELECT * FROM ${qualified(change.schema, change.to)};`,
    ],
    contract: [`DROP VIEW ${old};`],
    change: `RENAME TO → rename + view "${change.from}" (expand), DROP VIEW (contract)`,
  };
}

/** The column type as SQL: an enum (or other user type) is named with its schema. */
function typeOf(column: SnapshotColumn): string {
  if (!column.typeSchema) return column.type;
  const array = /(\[\])+$/.exec(column.type)?.[0] ?? '';
  return `${qualified(column.typeSchema, column.type.slice(0, column.type.length - array.length))}${array}`;
}

const syncName = (table: string, column: string) => cutName(`${table}_${column}_jam_sync`);

/** The online NOT NULL steps (as `lint --fix` writes them) for a column every row has filled. */
function notNullSteps(target: string, table: string, column: string): string[] {
  const check = quote(cutName(`${table}_${column}_not_null_check`));
  return [
    `ALTER TABLE ${target} ADD CONSTRAINT ${check} CHECK (${quote(column)} IS NOT NULL) NOT VALID;`,
    `ALTER TABLE ${target} VALIDATE CONSTRAINT ${check};`,
    `ALTER TABLE ${target} ALTER COLUMN ${quote(column)} SET NOT NULL;`,
    `ALTER TABLE ${target} DROP CONSTRAINT ${check};`,
  ];
}

/** The old column's default on the column that replaces it (drizzle-kit records a number default as a number). */
function setDefault(target: string, name: string, column: SnapshotColumn): string[] {
  const value = column.default;
  if (value === undefined || value === null) return [];
  return [`ALTER TABLE ${target} ALTER COLUMN ${quote(name)} SET DEFAULT ${String(value)};`];
}

function dropSync(target: string, schema: string, name: string): string[] {
  return [
    `DROP TRIGGER ${quote(name)} ON ${target};`,
    `DROP FUNCTION ${qualified(schema, name)}();`,
  ];
}

function renameColumn(
  target: string,
  change: Extract<PhasedChange, { kind: 'rename-column' }>,
  column: SnapshotColumn,
  copies: ColumnCopies,
): PhasedForm {
  const [a, b] = [quote(change.from), quote(change.to)];
  const sync = syncName(change.table, change.to);
  // b has no default while both names are in use: a non-null b on INSERT then
  // means new code wrote it, and a null b that old code wrote only a.
  const body = [
    `BEGIN`,
    `  IF TG_OP = 'INSERT' THEN`,
    `    IF NEW.${b} IS NULL THEN NEW.${b} := NEW.${a}; ELSE NEW.${a} := NEW.${b}; END IF;`,
    `  ELSIF NEW.${a} IS DISTINCT FROM OLD.${a} THEN NEW.${b} := NEW.${a};`,
    `  ELSIF NEW.${b} IS DISTINCT FROM OLD.${b} THEN NEW.${a} := NEW.${b};`,
    `  ELSIF NEW.${b} IS DISTINCT FROM NEW.${a} THEN NEW.${b} := NEW.${a};`,
    `  END IF;`,
    `  RETURN NEW;`,
    `END`,
  ].join('\n');
  return {
    expand: [
      `ALTER TABLE ${target} ADD COLUMN ${b} ${typeOf(column)};`,
      `CREATE FUNCTION ${qualified(change.schema, sync)}() RETURNS trigger LANGUAGE plpgsql AS $jam$\n${body}\n$jam$;`,
      `CREATE TRIGGER ${quote(sync)} BEFORE INSERT OR UPDATE ON ${target} FOR EACH ROW EXECUTE FUNCTION ${qualified(change.schema, sync)}();`,
      `${backfillLine}\nUPDATE ${target} SET ${b} = ${a} WHERE ${b} IS DISTINCT FROM ${a};`,
      ...(column.notNull === true ? notNullSteps(target, change.table, change.to) : []),
      ...copies.build,
    ],
    contract: [
      ...dropSync(target, change.schema, sync),
      `ALTER TABLE ${target} DROP COLUMN ${a};`,
      ...setDefault(target, change.to, column),
      ...copies.rename,
    ],
    change: `RENAME COLUMN → "${change.to}" kept in step with "${change.from}" by a trigger, backfilled (expand); "${change.from}" dropped (contract)`,
  };
}

function changeType(
  target: string,
  change: Extract<PhasedChange, { kind: 'change-column-type' }>,
  column: SnapshotColumn,
  copies: ColumnCopies,
): PhasedForm {
  const c = quote(change.column);
  const shadow = quote(temporaryName(change.column));
  const sync = syncName(change.table, temporaryName(change.column));
  const converted = (row: string) =>
    change.using === null
      ? `CAST(${row}${c} AS ${change.type})`
      : replaceColumn(change.using, change.column, `${row}${c}`);
  return {
    expand: [
      `ALTER TABLE ${target} ADD COLUMN ${shadow} ${change.type};`,
      `CREATE FUNCTION ${qualified(change.schema, sync)}() RETURNS trigger LANGUAGE plpgsql AS $jam$\nBEGIN\n  NEW.${shadow} := ${converted('NEW.')};\n  RETURN NEW;\nEND\n$jam$;`,
      `CREATE TRIGGER ${quote(sync)} BEFORE INSERT OR UPDATE ON ${target} FOR EACH ROW EXECUTE FUNCTION ${qualified(change.schema, sync)}();`,
      `${backfillLine}\nUPDATE ${target} SET ${shadow} = ${converted('')} WHERE ${shadow} IS NULL AND ${c} IS NOT NULL;`,
      ...(column.notNull === true
        ? notNullSteps(target, change.table, temporaryName(change.column))
        : []),
      ...copies.build,
    ],
    contract: [
      ...dropSync(target, change.schema, sync),
      `ALTER TABLE ${target} DROP COLUMN ${c};`,
      `ALTER TABLE ${target} RENAME COLUMN ${shadow} TO ${c};`,
      ...setDefault(target, change.column, column),
      ...copies.rename,
    ],
    change: `SET DATA TYPE → shadow column ${shadow} filled by a trigger, backfilled (expand); swapped in (contract)`,
  };
}

function volatileDefault(change: Extract<PhasedChange, { kind: 'volatile-default' }>): PhasedForm {
  const target = qualified(change.schema, change.table);
  const x = quote(change.column);
  return {
    expand: [
      `ALTER TABLE ${target} ADD COLUMN ${x} ${change.type};`,
      `ALTER TABLE ${target} ALTER COLUMN ${x} SET DEFAULT ${change.default};`,
      `${backfillLine}\nUPDATE ${target} SET ${x} = ${change.default} WHERE ${x} IS NULL;`,
      ...(change.notNull ? notNullSteps(target, change.table, change.column) : []),
    ],
    contract: [],
    change: `ADD COLUMN … DEFAULT ${change.default} → nullable column, SET DEFAULT, batched backfill${change.notNull ? ', NOT NULL through a check' : ''}`,
  };
}

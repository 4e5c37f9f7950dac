import type { Snapshot, SnapshotTable } from '../drizzle-kit/snapshots.js';
import { qualified, quote, temporaryName } from './sql-names.js';

/**
 * Copies of a column's indexes and constraints onto the column that replaces
 * it, read from drizzle-kit's snapshot of the schema before the migration:
 * built online during the expand under temporary names, given the original
 * names in the contract once the old column (and with it the originals) is gone.
 */
export interface ColumnCopies {
  /** Expand statements, each its own step (CONCURRENTLY / NOT VALID + VALIDATE). */
  build: string[];
  /** Contract statements that give the copies the names the originals had. */
  rename: string[];
}

/** Why a column cannot be replaced by a copy without breaking something the snapshot shows. */
export class NoCopy {
  constructor(readonly reason: string) {}
}

interface IndexColumn {
  expression: string;
  isExpression: boolean;
  asc?: boolean;
  nulls?: string;
  opclass?: string;
}

interface SnapshotIndex {
  name: string;
  columns: IndexColumn[];
  isUnique?: boolean;
  method?: string;
  where?: string;
  with?: Record<string, unknown>;
}

/** The snapshot's entry for a table, by schema and name. */
export function findTable(snapshot: Snapshot, schema: string, name: string): SnapshotTable | null {
  const wanted = schema === 'public' ? ['', 'public'] : [schema];
  return (
    Object.values(snapshot.tables).find(
      (t) => t.name === name && wanted.includes(t.schema === '' ? '' : t.schema),
    ) ?? null
  );
}

/** Every reference to column `from` (`"a"`, or a bare a) in an expression, replaced by the SQL `by`. */
export function replaceColumn(expression: string, from: string, by: string): string {
  const bare = /^[a-z_][a-z0-9_$]*$/.test(from)
    ? new RegExp(`(?<![\\w."$])${from.replace(/\$/g, '\\$')}(?![\\w"$(])`, 'g')
    : null;
  // Through a placeholder, so that `by` is never searched again.
  const marked = expression.split(quote(from)).join('\u0000');
  return (bare ? marked.replace(bare, '\u0000') : marked).split('\u0000').join(by);
}

const mentions = (expression: string, column: string) =>
  replaceColumn(expression, column, '\u0001') !== expression;

/**
 * The copies of every index, unique, foreign key and check constraint of
 * `table` that involves `from`, made for `to`. A column that is (part of) the
 * primary key or that another table's foreign key references has no copy that
 * keeps those working: NoCopy.
 */
export function copiesFor(
  snapshot: Snapshot,
  table: SnapshotTable,
  from: string,
  to: string,
  /** Indexes and constraints the same migration drops (drizzle-kit renames a foreign key whose default name changed): no copy. */
  droppedLater: ReadonlySet<string> = new Set(),
): ColumnCopies | NoCopy {
  const schema = table.schema === '' ? 'public' : table.schema;
  const target = qualified(schema, table.name);
  const column = table.columns[from];
  if (!column)
    return new NoCopy(`the snapshot before it has no column "${from}" in "${table.name}"`);
  if (
    column.primaryKey === true ||
    Object.values(table.compositePrimaryKeys).some((k) => k.columns.includes(from))
  )
    return new NoCopy(`"${table.name}"."${from}" is part of the primary key`);
  for (const other of Object.values(snapshot.tables))
    for (const fk of Object.values(other.foreignKeys))
      if (
        fk.tableTo === table.name &&
        (fk.schemaTo ?? 'public') === schema &&
        fk.columnsTo.includes(from)
      )
        return new NoCopy(
          `foreign key "${fk.name}" of "${other.name}" references "${table.name}"."${from}"`,
        );

  const copies: ColumnCopies = { build: [], rename: [] };
  const swap = (name: string) => (name === from ? to : name);
  const renameConstraint = (name: string) =>
    `ALTER TABLE ${target} RENAME CONSTRAINT ${quote(temporaryName(name))} TO ${quote(name)};`;

  for (const index of Object.values(table.indexes) as SnapshotIndex[]) {
    const involved =
      index.columns.some((c) =>
        c.isExpression ? mentions(c.expression, from) : c.expression === from,
      ) ||
      (index.where !== undefined && mentions(index.where, from));
    if (!involved || droppedLater.has(index.name)) continue;
    const columns = index.columns.map((c) => {
      const expression = c.isExpression
        ? `(${replaceColumn(c.expression, from, quote(to))})`
        : quote(swap(c.expression));
      const opclass = c.opclass ? ` ${c.opclass}` : '';
      const order = c.asc === false ? ' DESC' : '';
      const nullsDefault = c.asc === false ? 'first' : 'last';
      const nulls = c.nulls && c.nulls !== nullsDefault ? ` NULLS ${c.nulls.toUpperCase()}` : '';
      return `${expression}${opclass}${order}${nulls}`;
    });
    const withOptions = Object.entries(index.with ?? {});
    copies.build.push(
      `CREATE ${index.isUnique ? 'UNIQUE ' : ''}INDEX CONCURRENTLY ${quote(temporaryName(index.name))} ON ${target} USING ${index.method ?? 'btree'} (${columns.join(',')})` +
        (withOptions.length > 0
          ? ` WITH (${withOptions.map(([k, v]) => `${k}=${v}`).join(',')})`
          : '') +
        (index.where ? ` WHERE ${replaceColumn(index.where, from, quote(to))}` : '') +
        ';',
    );
    copies.rename.push(
      `ALTER INDEX ${qualified(schema, temporaryName(index.name))} RENAME TO ${quote(index.name)};`,
    );
  }

  for (const unique of Object.values(table.uniqueConstraints) as {
    name: string;
    columns: string[];
    nullsNotDistinct?: boolean;
  }[]) {
    if (!unique.columns.includes(from) || droppedLater.has(unique.name)) continue;
    const temporary = quote(temporaryName(unique.name));
    copies.build.push(
      `CREATE UNIQUE INDEX CONCURRENTLY ${temporary} ON ${target} (${unique.columns.map((c) => quote(swap(c))).join(',')})${unique.nullsNotDistinct ? ' NULLS NOT DISTINCT' : ''};`,
      `ALTER TABLE ${target} ADD CONSTRAINT ${temporary} UNIQUE USING INDEX ${temporary};`,
    );
    copies.rename.push(renameConstraint(unique.name));
  }

  for (const fk of Object.values(table.foreignKeys) as (SnapshotTable['foreignKeys'][string] & {
    onDelete?: string;
    onUpdate?: string;
  })[]) {
    if (!fk.columnsFrom.includes(from) || droppedLater.has(fk.name)) continue;
    const temporary = quote(temporaryName(fk.name));
    const actions =
      (fk.onDelete && fk.onDelete !== 'no action'
        ? ` ON DELETE ${fk.onDelete.toUpperCase()}`
        : '') +
      (fk.onUpdate && fk.onUpdate !== 'no action' ? ` ON UPDATE ${fk.onUpdate.toUpperCase()}` : '');
    copies.build.push(
      `ALTER TABLE ${target} ADD CONSTRAINT ${temporary} FOREIGN KEY (${fk.columnsFrom.map((c) => quote(swap(c))).join(',')}) REFERENCES ${qualified(fk.schemaTo ?? 'public', fk.tableTo)}(${fk.columnsTo.map(quote).join(',')})${actions} NOT VALID;`,
      `ALTER TABLE ${target} VALIDATE CONSTRAINT ${temporary};`,
    );
    copies.rename.push(renameConstraint(fk.name));
  }

  for (const check of Object.values(table.checkConstraints ?? {})) {
    if (!mentions(check.value, from) || droppedLater.has(check.name)) continue;
    const temporary = quote(temporaryName(check.name));
    copies.build.push(
      `ALTER TABLE ${target} ADD CONSTRAINT ${temporary} CHECK (${replaceColumn(check.value, from, quote(to))}) NOT VALID;`,
      `ALTER TABLE ${target} VALIDATE CONSTRAINT ${temporary};`,
    );
    copies.rename.push(renameConstraint(check.name));
  }
  return copies;
}

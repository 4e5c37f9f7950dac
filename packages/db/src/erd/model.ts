import type { Snapshot, SnapshotTable } from '../drizzle-kit/snapshots.js';

/** What a diagram shows of a schema: tables with typed columns and keys, and the references between them. */
export interface ErdModel {
  tables: ErdTable[];
  relations: ErdRelation[];
}

export interface ErdTable {
  /** `users`, or `schema.table` outside public. */
  name: string;
  columns: ErdColumn[];
}

export interface ErdColumn {
  name: string;
  type: string;
  notNull: boolean;
  primaryKey: boolean;
  foreignKey: boolean;
  unique: boolean;
}

/** A foreign key: `from` (the referencing table) has rows pointing at one row of `to`. */
export interface ErdRelation {
  name: string;
  from: string;
  fromColumns: string[];
  to: string;
  toColumns: string[];
  /** A nullable foreign key column: a row may point at nothing. */
  optional: boolean;
  /** The foreign key columns are unique in `from`: at most one row per referenced row. */
  oneToOne: boolean;
}

const displayName = (schema: string | undefined, name: string) =>
  !schema || schema === 'public' ? name : `${schema}.${name}`;

/**
 * Built from a drizzle-kit snapshot, the form both the TypeScript schema
 * (through generateDrizzleJson) and a migrations folder's meta/ take. Tables are
 * sorted by name and columns keep their declared order, so the same schema
 * always gives the same diagram.
 */
export function erdModel(snapshot: Snapshot): ErdModel {
  const tables = Object.values(snapshot.tables).sort((a, b) =>
    displayName(a.schema, a.name).localeCompare(displayName(b.schema, b.name)),
  );
  const relations: ErdRelation[] = [];
  const model = tables.map((table): ErdTable => {
    const primary = new Set(Object.values(table.compositePrimaryKeys).flatMap((pk) => pk.columns));
    const unique = uniqueColumnSets(table);
    const referencing = new Set<string>();
    for (const fk of Object.values(table.foreignKeys).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      for (const column of fk.columnsFrom) referencing.add(column);
      relations.push({
        name: fk.name,
        from: displayName(table.schema, table.name),
        fromColumns: fk.columnsFrom,
        to: displayName(fk.schemaTo ?? table.schema, fk.tableTo),
        toColumns: fk.columnsTo,
        optional: fk.columnsFrom.some((c) => table.columns[c]?.notNull !== true),
        oneToOne: unique.some(
          (set) =>
            set.length === fk.columnsFrom.length && set.every((c) => fk.columnsFrom.includes(c)),
        ),
      });
    }
    return {
      name: displayName(table.schema, table.name),
      columns: Object.values(table.columns).map((column) => ({
        name: column.name,
        type: column.type,
        notNull: column.notNull === true,
        primaryKey: column.primaryKey === true || primary.has(column.name),
        foreignKey: referencing.has(column.name),
        unique: unique.some((set) => set.length === 1 && set[0] === column.name),
      })),
    };
  });
  return { tables: model, relations };
}

/** Column sets that are unique: the primary key, unique constraints and columns, unique indexes. */
function uniqueColumnSets(table: SnapshotTable): string[][] {
  const sets: string[][] = [];
  const primary = Object.values(table.columns).filter((c) => c.primaryKey === true);
  if (primary.length > 0) sets.push(primary.map((c) => c.name));
  for (const pk of Object.values(table.compositePrimaryKeys)) sets.push(pk.columns);
  for (const constraint of Object.values(table.uniqueConstraints)) sets.push(constraint.columns);
  for (const column of Object.values(table.columns))
    if (column.isUnique === true) sets.push([column.name]);
  for (const index of Object.values(table.indexes) as {
    isUnique?: boolean;
    columns: { expression: string; isExpression: boolean }[];
  }[]) {
    if (index.isUnique && index.columns.every((c) => !c.isExpression))
      sets.push(index.columns.map((c) => c.expression));
  }
  return sets;
}

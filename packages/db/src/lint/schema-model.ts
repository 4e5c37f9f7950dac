import { nameOf, schemaOf } from '../sql/ast.js';
import type { ColumnType } from './column-type.js';

/**
 * What the migrations read so far have built: tables with their columns (and
 * the columns' types), indexes with their table, and types. Each object knows
 * whether it existed before the migration being read began: only such objects
 * may hold rows, and the rules judge a statement on them differently. Renames
 * (of a table, a column, an index, a schema) and moves between schemas carry
 * that knowledge along, so a renamed table is never mistaken for a new one.
 */
interface Column {
  type: ColumnType | undefined;
  existedBefore: boolean;
}

interface Table {
  columns: Map<string, Column>;
  existedBefore: boolean;
  /** `PARTITION BY`: PostgreSQL builds no index on it CONCURRENTLY. */
  partitioned: boolean;
}

export interface NewColumn {
  name: string;
  type: ColumnType | undefined;
}

export class SchemaModel {
  private readonly tables = new Map<string, Table>();
  private readonly indexes = new Map<string, { table: string; existedBefore: boolean }>();
  private readonly types = new Map<string, { existedBefore: boolean }>();
  /**
   * `CHECK (col IS NOT NULL)` constraints per table, by name: once validated,
   * PostgreSQL (12+) trusts one for SET NOT NULL instead of scanning the table.
   */
  private readonly notNullChecks = new Map<
    string,
    Map<string, { column: string; validated: boolean }>
  >();

  /** A model to try statements on without changing this one. */
  clone(): SchemaModel {
    const copy = new SchemaModel();
    for (const [name, table] of this.tables)
      copy.tables.set(name, {
        ...table,
        columns: new Map([...table.columns].map(([column, entry]) => [column, { ...entry }])),
      });
    for (const [name, index] of this.indexes) copy.indexes.set(name, { ...index });
    for (const [name, type] of this.types) copy.types.set(name, { ...type });
    for (const [table, checks] of this.notNullChecks)
      copy.notNullChecks.set(
        table,
        new Map([...checks].map(([name, check]) => [name, { ...check }])),
      );
    return copy;
  }

  /** A new migration begins: everything the earlier ones built may hold rows by now. */
  beginMigration(): void {
    for (const table of this.tables.values()) {
      table.existedBefore = true;
      for (const column of table.columns.values()) column.existedBefore = true;
    }
    for (const index of this.indexes.values()) index.existedBefore = true;
    for (const type of this.types.values()) type.existedBefore = true;
  }

  hasTable(table: string): boolean {
    return this.tables.has(table);
  }

  /** The table existed before this migration, so it may hold rows. */
  tableMayHoldRows(table: string): boolean {
    return this.tables.get(table)?.existedBefore ?? false;
  }

  /** Some table of the schema existed before this migration. */
  schemaHoldsRows(schema: string): boolean {
    return [...this.tables].some(
      ([name, table]) => schemaOf(name) === schema && table.existedBefore,
    );
  }

  hasColumn(table: string, column: string): boolean {
    return this.tables.get(table)?.columns.has(column) ?? false;
  }

  /** The column existed before this migration, so it may hold values that code reads. */
  columnMayHoldValues(table: string, column: string): boolean {
    return this.tables.get(table)?.columns.get(column)?.existedBefore ?? false;
  }

  columnType(table: string, column: string): ColumnType | undefined {
    return this.tables.get(table)?.columns.get(column)?.type;
  }

  /** The index existed before this migration, on a table that existed before it. */
  indexOfTableWithRows(index: string): boolean {
    const entry = this.indexes.get(index);
    return entry?.existedBefore === true && this.tableMayHoldRows(entry.table);
  }

  isPartitioned(table: string): boolean {
    return this.tables.get(table)?.partitioned ?? false;
  }

  tableOfIndex(index: string): string | undefined {
    return this.indexes.get(index)?.table;
  }

  hasIndex(index: string): boolean {
    return this.indexes.has(index);
  }

  typeExistedBefore(type: string): boolean {
    return this.types.get(type)?.existedBefore ?? false;
  }

  createTable(table: string, columns: NewColumn[], partitioned = false): void {
    this.dropTable(table);
    this.tables.set(table, {
      existedBefore: false,
      partitioned,
      columns: new Map(columns.map((c) => [c.name, { type: c.type, existedBefore: false }])),
    });
  }

  dropTable(table: string): void {
    this.tables.delete(table);
    this.notNullChecks.delete(table);
    for (const [index, entry] of this.indexes)
      if (entry.table === table) this.indexes.delete(index);
  }

  renameTable(from: string, to: string): void {
    const table = this.tables.get(from);
    if (!table) return;
    this.tables.delete(from);
    this.tables.set(to, table);
    const checks = this.notNullChecks.get(from);
    this.notNullChecks.delete(from);
    if (checks) this.notNullChecks.set(to, checks);
    for (const entry of this.indexes.values()) if (entry.table === from) entry.table = to;
  }

  /** `ALTER TABLE … SET SCHEMA`: the table and its indexes move. */
  moveTable(table: string, schema: string): void {
    const moved = `${schema}.${nameOf(table)}`;
    for (const [index, entry] of [...this.indexes]) {
      if (entry.table !== table) continue;
      this.indexes.delete(index);
      this.indexes.set(`${schema}.${nameOf(index)}`, entry);
    }
    this.renameTable(table, moved);
  }

  /** `ALTER SCHEMA … RENAME TO`: everything in it keeps its name under the new schema. */
  renameSchema(from: string, to: string): void {
    const rekey = <T>(map: Map<string, T>, onMove?: (value: T, key: string) => void) => {
      for (const [key, value] of [...map]) {
        if (schemaOf(key) !== from) continue;
        map.delete(key);
        const moved = `${to}.${nameOf(key)}`;
        map.set(moved, value);
        onMove?.(value, moved);
      }
    };
    rekey(this.tables);
    rekey(this.types);
    rekey(this.indexes);
    rekey(this.notNullChecks);
    for (const entry of this.indexes.values())
      if (schemaOf(entry.table) === from) entry.table = `${to}.${nameOf(entry.table)}`;
  }

  /** `DROP SCHEMA … CASCADE`: everything in it goes. */
  dropSchema(schema: string): void {
    for (const table of [...this.tables.keys()])
      if (schemaOf(table) === schema) this.dropTable(table);
    for (const type of [...this.types.keys()])
      if (schemaOf(type) === schema) this.types.delete(type);
  }

  addColumn(table: string, column: NewColumn): void {
    this.tables.get(table)?.columns.set(column.name, { type: column.type, existedBefore: false });
  }

  dropColumn(table: string, column: string): void {
    this.tables.get(table)?.columns.delete(column);
  }

  renameColumn(table: string, from: string, to: string): void {
    const columns = this.tables.get(table)?.columns;
    const column = columns?.get(from);
    if (!columns || !column) return;
    columns.delete(from);
    columns.set(to, column);
  }

  setColumnType(table: string, column: string, type: ColumnType | undefined): void {
    const entry = this.tables.get(table)?.columns.get(column);
    if (entry) entry.type = type;
  }

  createIndex(index: string, table: string): void {
    this.indexes.set(index, { table, existedBefore: false });
  }

  dropIndex(index: string): void {
    this.indexes.delete(index);
  }

  renameIndex(from: string, to: string): void {
    const entry = this.indexes.get(from);
    if (!entry) return;
    this.indexes.delete(from);
    this.indexes.set(to, entry);
  }

  createType(type: string): void {
    this.types.set(type, { existedBefore: false });
  }

  dropType(type: string): void {
    this.types.delete(type);
  }

  renameType(from: string, to: string): void {
    const entry = this.types.get(from);
    if (!entry) return;
    this.types.delete(from);
    this.types.set(to, entry);
  }

  addNotNullCheck(table: string, name: string, column: string, validated: boolean): void {
    const checks = this.notNullChecks.get(table) ?? new Map();
    checks.set(name, { column, validated });
    this.notNullChecks.set(table, checks);
  }

  validateConstraint(table: string, name: string): void {
    const check = this.notNullChecks.get(table)?.get(name);
    if (check) check.validated = true;
  }

  dropConstraint(table: string, name: string): void {
    this.notNullChecks.get(table)?.delete(name);
  }

  /** A validated `CHECK (column IS NOT NULL)` holds: SET NOT NULL then needs no scan. */
  provesNotNull(table: string, column: string): boolean {
    return [...(this.notNullChecks.get(table)?.values() ?? [])].some(
      (check) => check.validated && check.column === column,
    );
  }
}

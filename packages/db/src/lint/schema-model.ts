/**
 * What exists before a migration, built by reading the migrations before it:
 * tables with their columns, indexes with their table, and types. Enough for
 * the rules that only matter on objects that already exist (and may hold rows).
 */
export class SchemaModel {
  private readonly tables = new Map<string, Set<string>>();
  private readonly indexes = new Map<string, string>();
  private readonly types = new Set<string>();

  hasTable(table: string): boolean {
    return this.tables.has(table);
  }

  hasColumn(table: string, column: string): boolean {
    return this.tables.get(table)?.has(column) ?? false;
  }

  hasType(type: string): boolean {
    return this.types.has(type);
  }

  tableOfIndex(index: string): string | undefined {
    return this.indexes.get(index);
  }

  createTable(table: string, columns: string[]): void {
    this.tables.set(table, new Set(columns));
  }

  dropTable(table: string): void {
    this.tables.delete(table);
    for (const [index, owner] of this.indexes) if (owner === table) this.indexes.delete(index);
  }

  renameTable(from: string, to: string): void {
    const columns = this.tables.get(from);
    if (!columns) return;
    this.tables.delete(from);
    this.tables.set(to, columns);
    for (const [index, owner] of this.indexes) if (owner === from) this.indexes.set(index, to);
  }

  addColumn(table: string, column: string): void {
    this.tables.get(table)?.add(column);
  }

  dropColumn(table: string, column: string): void {
    this.tables.get(table)?.delete(column);
  }

  renameColumn(table: string, from: string, to: string): void {
    const columns = this.tables.get(table);
    if (columns?.delete(from)) columns.add(to);
  }

  createIndex(index: string, table: string): void {
    this.indexes.set(index, table);
  }

  dropIndex(index: string): void {
    this.indexes.delete(index);
  }

  createType(type: string): void {
    this.types.add(type);
  }

  dropType(type: string): void {
    this.types.delete(type);
  }

  clone(): SchemaModel {
    const copy = new SchemaModel();
    for (const [table, columns] of this.tables) copy.tables.set(table, new Set(columns));
    for (const [index, table] of this.indexes) copy.indexes.set(index, table);
    for (const type of this.types) copy.types.add(type);
    return copy;
  }
}

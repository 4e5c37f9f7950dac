import type { Snapshot } from './snapshots.js';

/**
 * drizzle-kit's differ asks a person whenever, within one scope (the tables of a
 * schema, the columns of a table, the enums, …), something appears and something
 * else disappears: it might be a rename. Going from the schema after a migration
 * back to the one before it, renames are already undone (see renames.ts), so the
 * remaining appear/disappear pairs are real. Walking through stages where each
 * step only removes or only adds in every scope keeps the differ from asking:
 *
 *   after → shared (remove what "before" lacks, keeping enums still in use)
 *         → shared + enums only "before" has
 *         → before (add the rest; drop the enums kept above)
 */
export function stagesBetween(after: Snapshot, before: Snapshot): Snapshot[] {
  const shared = structuredClone(after);
  const keep = <T>(record: Record<string, T>, reference: Record<string, unknown>) => {
    for (const key of Object.keys(record)) if (!(key in reference)) delete record[key];
  };
  keep(shared.tables, before.tables);
  for (const [key, table] of Object.entries(shared.tables)) {
    const beforeTable = before.tables[key]!;
    keep(table.columns, beforeTable.columns);
    // drizzle-kit asks about a policy that went and another that came, as about columns.
    keep(table.policies ?? {}, beforeTable.policies ?? {});
    const hasColumns = (names: string[]) => names.every((n) => n in table.columns);
    for (const [name, index] of Object.entries(table.indexes)) {
      if (!index.columns.every((c) => c.isExpression || c.expression in table.columns))
        delete table.indexes[name];
    }
    for (const [name, fk] of Object.entries(table.foreignKeys)) {
      const target = Object.values(shared.tables).find(
        (t) => t.name === fk.tableTo && (t.schema || 'public') === (fk.schemaTo || 'public'),
      );
      if (!hasColumns(fk.columnsFrom) || !target || !fk.columnsTo.every((c) => c in target.columns))
        delete table.foreignKeys[name];
    }
    for (const [name, pk] of Object.entries(table.compositePrimaryKeys))
      if (!hasColumns(pk.columns)) delete table.compositePrimaryKeys[name];
    for (const [name, unique] of Object.entries(table.uniqueConstraints))
      if (!hasColumns(unique.columns)) delete table.uniqueConstraints[name];
  }
  const enumsInUse = new Set(
    Object.values(shared.tables).flatMap((t) =>
      Object.values(t.columns).map(
        (c) => `${c.typeSchema || 'public'}.${c.type.replace(/\[\]$/, '')}`,
      ),
    ),
  );
  for (const key of Object.keys(shared.enums))
    if (!(key in before.enums) && !enumsInUse.has(key)) delete shared.enums[key];
  keep(shared.schemas, before.schemas);
  keep(shared.sequences, before.sequences);
  for (const kind of ['views', 'roles', 'policies'] as const) {
    if (shared[kind] && before[kind])
      keep(shared[kind] as Record<string, unknown>, before[kind] as Record<string, unknown>);
  }

  const withBeforeEnums = structuredClone(shared);
  for (const [key, type] of Object.entries(before.enums))
    if (!(key in withBeforeEnums.enums)) withBeforeEnums.enums[key] = structuredClone(type);

  return [shared, withBeforeEnums, before];
}

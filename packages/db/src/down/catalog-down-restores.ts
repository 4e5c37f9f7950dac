import type { CatalogChanges, DownScriptDraft } from './catalog-changes.js';
import { tableOf } from './catalog-changes.js';
import {
  columnDefinition,
  continueAfterRows,
  createPolicy,
  literal,
  qualified,
  quoteIdent,
  tableSettings,
} from './ddl-text.js';
import { dependentsFirst } from './view-order.js';

/**
 * Phase 4: what the migration dropped or changed comes back, each kind after
 * what it needs: tables and columns, then sequences tied to them, constraints
 * (foreign keys last), indexes, views (those read by others first), policies
 * and triggers.
 */
export function restoreDropped(diff: CatalogChanges, draft: DownScriptDraft): void {
  const { to, tables, columns, constraints, indexes, views, policies, triggers, newTables } = diff;
  const out = draft.statements;
  for (const [key, t] of tables.added) {
    const own = [...to.columns.values()].filter((c) => tableOf(c.schema, c.table) === key);
    out.push(
      `CREATE TABLE ${qualified(t.schema, t.name)} (${own.map(columnDefinition).join(', ')});`,
    );
    out.push(
      ...tableSettings(
        { ...t, rowLevelSecurity: false, forceRowLevelSecurity: false, options: [] },
        t,
      ),
    );
  }
  for (const [, c] of columns.added) {
    if (newTables.has(tableOf(c.schema, c.table))) continue;
    out.push(`ALTER TABLE ${qualified(c.schema, c.table)} ADD COLUMN ${columnDefinition(c)};`);
  }
  for (const key of draft.createdSequences) {
    const s = to.sequences.get(key)!;
    if (!s.ownedBy) continue;
    const [schema, tableName, column] = s.ownedBy.split('.') as [string, string, string];
    out.push(
      `ALTER SEQUENCE ${qualified(s.schema, s.name)} OWNED BY ${qualified(schema, tableName)}.${quoteIdent(column)};`,
    );
    out.push(continueAfterRows(literal(qualified(s.schema, s.name)), to.columns.get(s.ownedBy)!));
  }
  const addedConstraints = [
    ...constraints.added,
    ...constraints.changed.map(([k, , t]) => [k, t] as const),
  ];
  for (const [, c] of [
    ...addedConstraints.filter(([, c]) => c.kind !== 'f'),
    ...addedConstraints.filter(([, c]) => c.kind === 'f'),
  ])
    out.push(
      `ALTER TABLE ${qualified(c.schema, c.table)} ADD CONSTRAINT ${quoteIdent(c.name)} ${c.definition};`,
    );
  for (const [, i] of [...indexes.added, ...indexes.changed.map(([k, , t]) => [k, t] as const)]) {
    if (i.ofConstraint) continue;
    out.push(`${i.definition};`);
  }
  const restoredViews = [...views.added, ...views.changed.map(([k, , t]) => [k, t] as const)];
  const restoreOrder = dependentsFirst(
    to,
    restoredViews.map(([k]) => k),
  ).reverse();
  for (const v of restoreOrder.map((key) => to.views.get(key)!))
    out.push(
      `CREATE ${v.materialized ? 'MATERIALIZED ' : ''}VIEW ${qualified(v.schema, v.name)} AS ${v.definition.trim().replace(/;$/, '')};`,
    );
  for (const [, p] of [...policies.added, ...policies.changed.map(([k, , t]) => [k, t] as const)])
    out.push(createPolicy(p));
  for (const [, t] of [...triggers.added, ...triggers.changed.map(([k, , t]) => [k, t] as const)])
    out.push(`${t.definition};`);
}

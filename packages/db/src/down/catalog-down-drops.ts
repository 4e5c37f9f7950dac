import {
  type CatalogChanges,
  type DownScriptDraft,
  goneColumn,
  identityOwned,
  tableOf,
} from './catalog-changes.js';
import { qualified, quoteIdent } from './ddl-text.js';
import { dependentsFirst } from './view-order.js';

/** Phase 1: what depends on other objects goes first, so nothing it holds on to blocks a drop. */
export function dropDependents(diff: CatalogChanges, draft: DownScriptDraft): void {
  const { from, triggers, policies, views, constraints, indexes, columns, tables, goneTables } =
    diff;
  const out = draft.statements;
  for (const [, t] of [...triggers.gone, ...triggers.changed])
    out.push(`DROP TRIGGER ${quoteIdent(t.name)} ON ${qualified(t.schema, t.table)};`);
  for (const [, p] of [...policies.gone, ...policies.changed])
    out.push(`DROP POLICY ${quoteIdent(p.name)} ON ${qualified(p.schema, p.table)};`);
  for (const key of dependentsFirst(
    from,
    [...views.gone, ...views.changed].map(([k]) => k),
  )) {
    const v = from.views.get(key)!;
    out.push(`DROP ${v.materialized ? 'MATERIALIZED ' : ''}VIEW ${qualified(v.schema, v.name)};`);
  }
  // A dropped table takes its own constraints along; its foreign keys still go first, so the
  // dropped tables need no order among themselves.
  const droppedConstraints = [...constraints.gone, ...constraints.changed].filter(
    ([, c]) => c.kind === 'f' || !goneTables.has(tableOf(c.schema, c.table)),
  );
  for (const [, c] of [
    ...droppedConstraints.filter(([, c]) => c.kind === 'f'),
    ...droppedConstraints.filter(([, c]) => c.kind !== 'f'),
  ])
    out.push(`ALTER TABLE ${qualified(c.schema, c.table)} DROP CONSTRAINT ${quoteIdent(c.name)};`);
  for (const [, i] of [...indexes.gone, ...indexes.changed]) {
    if (i.ofConstraint || goneTables.has(tableOf(i.schema, i.table))) continue;
    out.push(`DROP INDEX ${qualified(i.schema, i.name)};`);
  }
  for (const [, c] of columns.gone) {
    if (goneTables.has(tableOf(c.schema, c.table))) continue;
    out.push(`ALTER TABLE ${qualified(c.schema, c.table)} DROP COLUMN ${quoteIdent(c.name)};`);
  }
  for (const [, t] of tables.gone) out.push(`DROP TABLE ${qualified(t.schema, t.name)};`);
}

/** Phase 3: what only the later schema needed goes, once nothing uses it any more. */
export function dropUnneeded(diff: CatalogChanges, draft: DownScriptDraft): void {
  const { from, to, functions, sequences, enums } = diff;
  const out = draft.statements;
  for (const [, f] of functions.gone)
    out.push(`DROP FUNCTION ${qualified(f.schema, f.name)}(${f.signature});`);
  for (const [, s] of sequences.gone) {
    // A column's identity sequence goes with the identity or the column.
    if (identityOwned(from, s.ownedBy)) continue;
    if (s.ownedBy && (!to.columns.has(s.ownedBy) || goneColumn(diff, s.ownedBy))) continue;
    out.push(`DROP SEQUENCE ${qualified(s.schema, s.name)};`);
  }
  for (const [, e] of enums.gone) out.push(`DROP TYPE ${qualified(e.schema, e.name)};`);
  for (const [name] of from.extensions)
    if (!to.extensions.has(name)) out.push(`DROP EXTENSION ${quoteIdent(name)};`);
  for (const schema of from.schemas)
    if (!to.schemas.has(schema)) out.push(`DROP SCHEMA ${quoteIdent(schema)};`);
}

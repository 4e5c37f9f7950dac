import { type CatalogChanges, type DownScriptDraft, differs } from './catalog-changes.js';
import { changeColumnsBack, changeEnumsBack } from './catalog-down-columns.js';
import { createSequence, literal, qualified, quoteIdent, tableSettings } from './ddl-text.js';

/**
 * Phase 2: what the earlier schema needs is made (schemas, extensions, types,
 * sequences, functions), and what the migration changed is changed back (enums,
 * columns, table settings).
 */
export function changeBack(diff: CatalogChanges, draft: DownScriptDraft): void {
  const { from, to, enums, sequences, functions, tables, remadeAfterIdentity } = diff;
  const out = draft.statements;
  for (const schema of to.schemas)
    if (!from.schemas.has(schema)) out.push(`CREATE SCHEMA ${quoteIdent(schema)};`);
  for (const [name, e] of to.extensions)
    if (!from.extensions.has(name))
      out.push(
        `CREATE EXTENSION IF NOT EXISTS ${quoteIdent(name)} SCHEMA ${quoteIdent(e.schema)};`,
      );
  for (const [, e] of enums.added)
    out.push(
      `CREATE TYPE ${qualified(e.schema, e.name)} AS ENUM (${e.labels.map(literal).join(', ')});`,
    );
  for (const [key, s] of sequences.added) {
    const owner = s.ownedBy ? to.columns.get(s.ownedBy) : undefined;
    if (owner?.identity) continue;
    out.push(createSequence(s));
    draft.createdSequences.push(key);
  }
  for (const [key, s, target] of sequences.changed) {
    if (remadeAfterIdentity.has(key)) continue;
    if (differs({ ...s, ownedBy: null }, { ...target, ownedBy: null }))
      out.push(
        `ALTER SEQUENCE ${qualified(s.schema, s.name)} AS ${target.dataType} INCREMENT BY ${target.increment} MINVALUE ${target.min} MAXVALUE ${target.max} START WITH ${target.start} CACHE ${target.cache}${target.cycle ? ' CYCLE' : ' NO CYCLE'};`,
      );
    if (s.ownedBy !== target.ownedBy) draft.unsupported.push(`the owner of sequence ${key}`);
  }
  if (functions.added.length > 0 || functions.changed.length > 0)
    // A restored SQL function may read a table that is only restored further down.
    out.push('SET LOCAL check_function_bodies = off;');
  for (const [, f] of [...functions.added, ...functions.changed.map(([k, , t]) => [k, t] as const)])
    out.push(`${f.definition.trim()};`);

  changeEnumsBack(diff, draft);
  changeColumnsBack(diff, draft);
  for (const [, t, target] of tables.changed) out.push(...tableSettings(t, target));
}

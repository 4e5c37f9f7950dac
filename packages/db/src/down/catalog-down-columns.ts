import { type CatalogChanges, type DownScriptDraft, goneColumn } from './catalog-changes.js';
import {
  continueAfterRows,
  createSequence,
  identityOptions,
  literal,
  qualified,
  quoteIdent,
} from './ddl-text.js';

/**
 * An enum whose values changed is made anew under its name (PostgreSQL cannot
 * drop a value): the old type is parked under another name, the columns that
 * stay move to the new type through text, and the parked type goes.
 */
export function changeEnumsBack(diff: CatalogChanges, draft: DownScriptDraft): void {
  const { from, to, enums } = diff;
  const out = draft.statements;
  for (const [key, e, target] of enums.changed) {
    const type = qualified(e.schema, e.name);
    const parkedName = `${e.name.slice(0, 50)}_jam_down_old`;
    const parked = qualified(e.schema, parkedName);
    const extra = e.labels.filter((label) => !target.labels.includes(label));
    if (extra.length > 0)
      draft.notes.push(
        `changes enum ${type} back to its earlier values, which fails while rows hold ${extra.map(literal).join(', ')}`,
      );
    out.push(`ALTER TYPE ${type} RENAME TO ${quoteIdent(parkedName)};`);
    out.push(`CREATE TYPE ${type} AS ENUM (${target.labels.map(literal).join(', ')});`);
    for (const [columnKey, c] of from.columns) {
      if (c.enumKey !== key || goneColumn(diff, columnKey)) continue;
      const at = `ALTER TABLE ${qualified(c.schema, c.table)} ALTER COLUMN ${quoteIdent(c.name)}`;
      const array = c.type.endsWith('[]') ? '[]' : '';
      if (c.default !== null) out.push(`${at} DROP DEFAULT;`);
      out.push(
        `${at} SET DATA TYPE ${type}${array} USING ${quoteIdent(c.name)}::text${array}::${type}${array};`,
      );
      const restored = to.columns.get(columnKey)!;
      if (restored.default !== null && restored.enumKey === key)
        out.push(`${at} SET DEFAULT ${restored.default};`);
    }
    out.push(`DROP TYPE ${parked};`);
  }
}

/**
 * A column that stays gets back its type, default, NOT NULL and identity. A
 * default goes before a type change (it may not cast) and comes back after it.
 */
export function changeColumnsBack(diff: CatalogChanges, draft: DownScriptDraft): void {
  const { to, enums, columns, remadeAfterIdentity } = diff;
  const out = draft.statements;
  for (const [key, c, target] of columns.changed) {
    const at = `ALTER TABLE ${qualified(c.schema, c.table)} ALTER COLUMN ${quoteIdent(c.name)}`;
    if (c.generated !== target.generated) {
      draft.unsupported.push(`column ${key} changed between generated and plain`);
      continue;
    }
    if (c.identity && !target.identity) {
      out.push(`${at} DROP IDENTITY;`);
      for (const [seqKey, seq] of to.sequences)
        if (remadeAfterIdentity.has(seqKey)) {
          out.push(createSequence(seq));
          draft.createdSequences.push(seqKey);
        }
    }
    if (c.generated && c.default !== target.default) {
      draft.unsupported.push(`the generation expression of column ${key}`);
      continue;
    }
    const retyped = c.type !== target.type;
    // The enum's own change back (changeEnumsBack) already moved the column and its default.
    const enumDance =
      c.enumKey !== null &&
      c.enumKey === target.enumKey &&
      enums.changed.some(([k]) => k === c.enumKey);
    let defaultNow = enumDance
      ? target.enumKey === c.enumKey && target.default !== null
        ? target.default
        : null
      : c.default;
    if (retyped) {
      if (defaultNow !== null) {
        out.push(`${at} DROP DEFAULT;`);
        defaultNow = null;
      }
      const viaText = c.enumKey !== null || target.enumKey !== null;
      out.push(
        `${at} SET DATA TYPE ${target.type} USING ${quoteIdent(c.name)}${viaText ? '::text' : ''}::${target.type};`,
      );
    }
    if (!c.generated && defaultNow !== target.default)
      out.push(
        target.default === null ? `${at} DROP DEFAULT;` : `${at} SET DEFAULT ${target.default};`,
      );
    if (c.notNull !== target.notNull)
      out.push(`${at} ${target.notNull ? 'SET' : 'DROP'} NOT NULL;`);
    if (target.identity && c.identity !== target.identity) {
      const kind = target.identity === 'a' ? 'ALWAYS' : 'BY DEFAULT';
      if (c.identity) out.push(`${at} SET GENERATED ${kind};`);
      else {
        const sequence = [...to.sequences.values()].find((q) => q.ownedBy === key);
        out.push(
          `${at} ADD GENERATED ${kind} AS IDENTITY${sequence ? ` (${identityOptions(sequence)})` : ''};`,
        );
        const own = `pg_get_serial_sequence(${literal(qualified(c.schema, c.table))}, ${literal(c.name)})`;
        out.push(continueAfterRows(own, c));
      }
    }
  }
}

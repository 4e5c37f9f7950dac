import type {
  CatalogColumn,
  CatalogPolicy,
  CatalogSequence,
  CatalogState,
  CatalogTable,
} from './catalog-state.js';

/**
 * The statements that take a database from one catalog state (after a
 * migration, its renames already undone) back to another (before it). Only
 * what differs is touched, so a down script drops exactly what its migration
 * created and restores what it dropped or changed.
 *
 * Order follows the dependencies between kinds of objects: first what depends
 * on others goes (triggers, policies, views, foreign keys, indexes, columns,
 * tables), then what others need is made or changed (schemas, extensions,
 * types, sequences, functions, column types and defaults), then what nothing
 * needs any more goes (functions, sequences, types, extensions, schemas), and
 * last what was dropped comes back (tables, columns, constraints, indexes,
 * views, policies, triggers).
 */
export interface CatalogDown {
  statements: string[];
  /** What the statements cannot restore, or may fail on, said in the script's header. */
  notes: string[];
  /** Why no statements can take the schema back (a person writes the script). */
  unsupported: string[];
}

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
const qualified = (schema: string, name: string) => `${quoteIdent(schema)}.${quoteIdent(name)}`;
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

const differs = <T>(a: T, b: T) => JSON.stringify(a) !== JSON.stringify(b);

/** Keys of `from` that `to` lacks or holds differently, and keys only `to` has. */
function changes<T>(from: Map<string, T>, to: Map<string, T>) {
  const gone: [string, T][] = [];
  const changed: [string, T, T][] = [];
  const added: [string, T][] = [];
  for (const [key, value] of from) {
    const target = to.get(key);
    if (target === undefined) gone.push([key, value]);
    else if (differs(value, target)) changed.push([key, value, target]);
  }
  for (const [key, value] of to) if (!from.has(key)) added.push([key, value]);
  return { gone, changed, added };
}

function columnDefinition(column: CatalogColumn): string {
  const parts = [quoteIdent(column.name), column.type];
  if (column.generated) parts.push(`GENERATED ALWAYS AS (${column.default}) STORED`);
  else if (column.default !== null) parts.push(`DEFAULT ${column.default}`);
  if (column.identity)
    parts.push(`GENERATED ${column.identity === 'a' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY`);
  if (column.notNull) parts.push('NOT NULL');
  return parts.join(' ');
}

function createPolicy(policy: CatalogPolicy): string {
  const parts = [
    `CREATE POLICY ${quoteIdent(policy.name)} ON ${qualified(policy.schema, policy.table)}`,
    `AS ${policy.permissive ? 'PERMISSIVE' : 'RESTRICTIVE'} FOR ${policy.command}`,
    `TO ${policy.roles.map((r) => (r === 'public' ? 'public' : quoteIdent(r))).join(', ')}`,
  ];
  if (policy.using !== null) parts.push(`USING (${policy.using})`);
  if (policy.check !== null) parts.push(`WITH CHECK (${policy.check})`);
  return `${parts.join(' ')};`;
}

const optionKey = (option: string) => option.split('=')[0]!;

export function catalogDown(from: CatalogState, to: CatalogState): CatalogDown {
  const out: string[] = [];
  const notes: string[] = [];
  const unsupported: string[] = [];
  const table = (schema: string, name: string) => qualified(schema, name);

  const tables = changes(from.tables, to.tables);
  const goneTables = new Set(tables.gone.map(([key]) => key));
  const newTables = new Set(tables.added.map(([key]) => key));
  const columns = changes(from.columns, to.columns);
  const constraints = changes(from.constraints, to.constraints);
  const indexes = changes(from.indexes, to.indexes);
  const enums = changes(from.enums, to.enums);
  const sequences = changes(from.sequences, to.sequences);
  const views = changes(from.views, to.views);
  const functions = changes(from.functions, to.functions);
  const triggers = changes(from.triggers, to.triggers);
  const policies = changes(from.policies, to.policies);
  const tableOf = (schema: string, name: string) => `${schema}.${name}`;

  for (const [key] of [...tables.added, ...tables.gone]) {
    const t = from.tables.get(key) ?? to.tables.get(key)!;
    if (t.partitioned) unsupported.push(`partitioned table ${key}`);
  }

  // 1. What depends on other objects goes first.
  for (const [, t] of [...triggers.gone, ...triggers.changed])
    out.push(`DROP TRIGGER ${quoteIdent(t.name)} ON ${table(t.schema, t.table)};`);
  for (const [, p] of [...policies.gone, ...policies.changed])
    out.push(`DROP POLICY ${quoteIdent(p.name)} ON ${table(p.schema, p.table)};`);
  // A view holds on to the columns it reads: one over a table whose columns change type goes
  // first and comes back last, like the views that read it.
  const retypedTables = new Set(
    columns.changed
      .filter(
        ([, c, target]) =>
          c.type !== target.type ||
          (c.enumKey !== null && enums.changed.some(([k]) => k === c.enumKey)),
      )
      .map(([, c]) => c.table),
  );
  for (const [key] of enums.changed)
    for (const c of from.columns.values()) if (c.enumKey === key) retypedTables.add(c.table);
  const rebuilt = viewsReading(from, retypedTables).filter(
    (key) => to.views.has(key) && !views.changed.some(([k]) => k === key),
  );
  views.changed.push(
    ...rebuilt.map(
      (key) => [key, from.views.get(key)!, to.views.get(key)!] as [string, ViewOf, ViewOf],
    ),
  );
  for (const key of dependentsFirst(
    from,
    [...views.gone, ...views.changed].map(([k]) => k),
  )) {
    const v = from.views.get(key)!;
    out.push(`DROP ${v.materialized ? 'MATERIALIZED ' : ''}VIEW ${qualified(v.schema, v.name)};`);
  }
  const droppedConstraints = [...constraints.gone, ...constraints.changed].filter(
    ([, c]) => c.kind === 'f' || !goneTables.has(tableOf(c.schema, c.table)),
  );
  for (const [, c] of [
    ...droppedConstraints.filter(([, c]) => c.kind === 'f'),
    ...droppedConstraints.filter(([, c]) => c.kind !== 'f'),
  ])
    out.push(`ALTER TABLE ${table(c.schema, c.table)} DROP CONSTRAINT ${quoteIdent(c.name)};`);
  for (const [, i] of [...indexes.gone, ...indexes.changed]) {
    if (i.ofConstraint || goneTables.has(tableOf(i.schema, i.table))) continue;
    out.push(`DROP INDEX ${qualified(i.schema, i.name)};`);
  }
  for (const [, c] of columns.gone) {
    if (goneTables.has(tableOf(c.schema, c.table))) continue;
    out.push(`ALTER TABLE ${table(c.schema, c.table)} DROP COLUMN ${quoteIdent(c.name)};`);
  }
  for (const [, t] of tables.gone) out.push(`DROP TABLE ${table(t.schema, t.name)};`);

  // 2. What the earlier schema needs is made, and what changed is changed back.
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
  const createdSequences: string[] = [];
  for (const [key, s] of sequences.added) {
    const owner = s.ownedBy ? to.columns.get(s.ownedBy) : undefined;
    if (owner?.identity) continue;
    out.push(createSequence(s));
    createdSequences.push(key);
  }
  // An identity sequence that was a serial column's sequence of the same name before goes with
  // DROP IDENTITY and is made anew right after it (below, with the column).
  const remadeAfterIdentity = new Set(
    [...to.sequences].flatMap(([key, target]) => {
      const s = from.sequences.get(key);
      return s && identityOwned(from, s.ownedBy) && !identityOwned(to, target.ownedBy) ? [key] : [];
    }),
  );
  for (const [key, s, target] of sequences.changed) {
    if (remadeAfterIdentity.has(key)) continue;
    if (differs({ ...s, ownedBy: null }, { ...target, ownedBy: null }))
      out.push(
        `ALTER SEQUENCE ${qualified(s.schema, s.name)} AS ${target.dataType} INCREMENT BY ${target.increment} MINVALUE ${target.min} MAXVALUE ${target.max} START WITH ${target.start} CACHE ${target.cache}${target.cycle ? ' CYCLE' : ' NO CYCLE'};`,
      );
    if (s.ownedBy !== target.ownedBy) unsupported.push(`the owner of sequence ${key}`);
  }
  if (functions.added.length > 0 || functions.changed.length > 0)
    // A restored SQL function may read a table that is only restored further down.
    out.push('SET LOCAL check_function_bodies = off;');
  for (const [, f] of [...functions.added, ...functions.changed.map(([k, , t]) => [k, t] as const)])
    out.push(`${f.definition.trim()};`);

  const goneColumn = (key: string) => {
    const c = from.columns.get(key)!;
    return !to.columns.has(key) || goneTables.has(tableOf(c.schema, c.table));
  };
  for (const [key, e, target] of enums.changed) {
    const type = qualified(e.schema, e.name);
    const parkedName = `${e.name.slice(0, 50)}_jam_down_old`;
    const parked = qualified(e.schema, parkedName);
    const extra = e.labels.filter((label) => !target.labels.includes(label));
    if (extra.length > 0)
      notes.push(
        `changes enum ${type} back to its earlier values, which fails while rows hold ${extra.map(literal).join(', ')}`,
      );
    out.push(`ALTER TYPE ${type} RENAME TO ${quoteIdent(parkedName)};`);
    out.push(`CREATE TYPE ${type} AS ENUM (${target.labels.map(literal).join(', ')});`);
    for (const [columnKey, c] of from.columns) {
      if (c.enumKey !== key || goneColumn(columnKey)) continue;
      const at = `ALTER TABLE ${table(c.schema, c.table)} ALTER COLUMN ${quoteIdent(c.name)}`;
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

  for (const [key, c, target] of columns.changed) {
    const at = `ALTER TABLE ${table(c.schema, c.table)} ALTER COLUMN ${quoteIdent(c.name)}`;
    if (c.generated !== target.generated) {
      unsupported.push(`column ${key} changed between generated and plain`);
      continue;
    }
    if (c.identity && !target.identity) {
      out.push(`${at} DROP IDENTITY;`);
      for (const [seqKey, seq] of to.sequences)
        if (remadeAfterIdentity.has(seqKey)) {
          out.push(createSequence(seq));
          createdSequences.push(seqKey);
        }
    }
    if (c.generated && c.default !== target.default) {
      unsupported.push(`the generation expression of column ${key}`);
      continue;
    }
    const retyped = c.type !== target.type;
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
  for (const [, t, target] of tables.changed) out.push(...tableSettings(t, target));

  // 3. What only the later schema needed goes.
  for (const [, f] of functions.gone)
    out.push(`DROP FUNCTION ${qualified(f.schema, f.name)}(${f.signature});`);
  for (const [, s] of sequences.gone) {
    // A column's identity sequence goes with the identity or the column.
    if (identityOwned(from, s.ownedBy)) continue;
    if (s.ownedBy && (!to.columns.has(s.ownedBy) || goneColumn(s.ownedBy))) continue;
    out.push(`DROP SEQUENCE ${qualified(s.schema, s.name)};`);
  }
  for (const [, e] of enums.gone) out.push(`DROP TYPE ${qualified(e.schema, e.name)};`);
  for (const [name] of from.extensions)
    if (!to.extensions.has(name)) out.push(`DROP EXTENSION ${quoteIdent(name)};`);
  for (const schema of from.schemas)
    if (!to.schemas.has(schema)) out.push(`DROP SCHEMA ${quoteIdent(schema)};`);

  // 4. What the migration dropped or changed comes back.
  for (const [key, t] of tables.added) {
    const own = [...to.columns.values()].filter((c) => tableOf(c.schema, c.table) === key);
    out.push(`CREATE TABLE ${table(t.schema, t.name)} (${own.map(columnDefinition).join(', ')});`);
    out.push(
      ...tableSettings(
        { ...t, rowLevelSecurity: false, forceRowLevelSecurity: false, options: [] },
        t,
      ),
    );
  }
  for (const [, c] of columns.added) {
    if (newTables.has(tableOf(c.schema, c.table))) continue;
    out.push(`ALTER TABLE ${table(c.schema, c.table)} ADD COLUMN ${columnDefinition(c)};`);
  }
  for (const key of createdSequences) {
    const s = to.sequences.get(key)!;
    if (!s.ownedBy) continue;
    const [schema, tableName, column] = s.ownedBy.split('.') as [string, string, string];
    out.push(
      `ALTER SEQUENCE ${qualified(s.schema, s.name)} OWNED BY ${table(schema, tableName)}.${quoteIdent(column)};`,
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
      `ALTER TABLE ${table(c.schema, c.table)} ADD CONSTRAINT ${quoteIdent(c.name)} ${c.definition};`,
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

  return { statements: out, notes, unsupported };
}

/** Row level security and storage parameters of a table that exists in both states. */
function tableSettings(from: CatalogTable, to: CatalogTable): string[] {
  const at = `ALTER TABLE ${qualified(to.schema, to.name)}`;
  const out: string[] = [];
  if (from.rowLevelSecurity !== to.rowLevelSecurity)
    out.push(`${at} ${to.rowLevelSecurity ? 'ENABLE' : 'DISABLE'} ROW LEVEL SECURITY;`);
  if (from.forceRowLevelSecurity !== to.forceRowLevelSecurity)
    out.push(`${at} ${to.forceRowLevelSecurity ? '' : 'NO '}FORCE ROW LEVEL SECURITY;`);
  const reset = from.options.filter((o) => !to.options.some((t) => optionKey(t) === optionKey(o)));
  if (reset.length > 0) out.push(`${at} RESET (${reset.map(optionKey).join(', ')});`);
  const set = to.options.filter((o) => !from.options.includes(o));
  if (set.length > 0) out.push(`${at} SET (${set.join(', ')});`);
  return out;
}

type ViewOf = CatalogState['views'] extends Map<string, infer V> ? V : never;

const mentions = (definition: string, name: string) =>
  new RegExp(`(^|[^\\w$])"?${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?($|[^\\w$])`, 'i').test(
    definition,
  );

/** Views that read one of `tables`, directly or through another view (by name in their definition). */
function viewsReading(state: CatalogState, tables: Set<string>): string[] {
  const found = new Set<string>();
  let names = [...tables];
  while (names.length > 0) {
    const next: string[] = [];
    for (const [key, view] of state.views) {
      if (found.has(key) || !names.some((name) => mentions(view.definition, name))) continue;
      found.add(key);
      next.push(view.name);
    }
    names = next;
  }
  return [...found];
}

/** `keys` ordered so that a view comes before the views it reads (the order to drop them). */
function dependentsFirst(state: CatalogState, keys: string[]): string[] {
  const pending = new Set(keys);
  const ordered: string[] = [];
  while (pending.size > 0) {
    // A view nothing else pending reads can go now.
    const free = [...pending].find(
      (key) =>
        ![...pending].some(
          (other) =>
            other !== key &&
            mentions(state.views.get(other)?.definition ?? '', state.views.get(key)!.name),
        ),
    );
    const key = free ?? [...pending][0]!;
    ordered.push(key);
    pending.delete(key);
  }
  return ordered;
}

const sequenceOptions = (s: CatalogSequence) =>
  `INCREMENT BY ${s.increment} MINVALUE ${s.min} MAXVALUE ${s.max} START WITH ${s.start} CACHE ${s.cache}${s.cycle ? ' CYCLE' : ''}`;

const createSequence = (s: CatalogSequence) =>
  `CREATE SEQUENCE ${qualified(s.schema, s.name)} AS ${s.dataType} ${sequenceOptions(s)};`;

const identityOptions = (s: CatalogSequence) =>
  `SEQUENCE NAME ${qualified(s.schema, s.name)} ${sequenceOptions(s)}`;

/** Whether the column a sequence belongs to is an identity column in `state`. */
const identityOwned = (state: CatalogState, ownedBy: string | null) =>
  ownedBy !== null && Boolean(state.columns.get(ownedBy)?.identity);

/**
 * A sequence made anew starts over; the rows of its column already hold those
 * numbers, so it continues after the highest one (if there are rows).
 */
const continueAfterRows = (sequence: string, column: CatalogColumn) =>
  `SELECT setval(${sequence}, max(${quoteIdent(column.name)})) FROM ${qualified(column.schema, column.table)} HAVING max(${quoteIdent(column.name)}) IS NOT NULL;`;

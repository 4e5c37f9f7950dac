import type { Session } from '../engines/session.js';

/**
 * A schema as the catalogs hold it, in enough detail to write the statements
 * that rebuild each object: what `generate-down` diffs between the database
 * before a migration and after it. Keys name objects the way `verify`'s schema
 * facts do ("public.users.email"), so a difference here is one `verify` sees.
 */
export interface CatalogState {
  schemas: Set<string>;
  extensions: Map<string, { name: string; schema: string; version: string }>;
  tables: Map<string, CatalogTable>;
  columns: Map<string, CatalogColumn>;
  constraints: Map<string, CatalogConstraint>;
  indexes: Map<string, CatalogIndex>;
  enums: Map<string, { schema: string; name: string; labels: string[] }>;
  sequences: Map<string, CatalogSequence>;
  views: Map<string, { schema: string; name: string; definition: string; materialized: boolean }>;
  functions: Map<string, { schema: string; name: string; signature: string; definition: string }>;
  triggers: Map<string, { schema: string; table: string; name: string; definition: string }>;
  policies: Map<string, CatalogPolicy>;
}

export interface CatalogTable {
  schema: string;
  name: string;
  rowLevelSecurity: boolean;
  forceRowLevelSecurity: boolean;
  /** Storage parameters, `fillfactor=70`. */
  options: string[];
  partitioned: boolean;
}

export interface CatalogColumn {
  schema: string;
  table: string;
  name: string;
  /** As `format_type` prints it, usable in DDL. */
  type: string;
  notNull: boolean;
  /** The default expression, or for a generated column its generation expression. */
  default: string | null;
  identity: '' | 'a' | 'd';
  generated: boolean;
  /** "schema.name" of the enum the column (or its array element) has, if any. */
  enumKey: string | null;
}

export interface CatalogConstraint {
  schema: string;
  table: string;
  name: string;
  kind: 'p' | 'u' | 'f' | 'c' | 'x';
  definition: string;
}

export interface CatalogIndex {
  schema: string;
  table: string;
  name: string;
  definition: string;
  /** Built by a primary key, unique or exclusion constraint of the same name. */
  ofConstraint: boolean;
}

export interface CatalogSequence {
  schema: string;
  name: string;
  dataType: string;
  start: string;
  increment: string;
  min: string;
  max: string;
  cache: string;
  cycle: boolean;
  /** Created with a serial or identity column ("schema.table.column"), dropped with it. */
  ownedBy: string | null;
}

export interface CatalogPolicy {
  schema: string;
  table: string;
  name: string;
  permissive: boolean;
  roles: string[];
  command: string;
  using: string | null;
  check: string | null;
}

const ignoredSchemas = `('pg_catalog', 'information_schema', 'drizzle', 'pg_toast')`;
const userSchema = (column: string) =>
  `${column} not in ${ignoredSchemas} and ${column} not like 'pg_temp_%' and ${column} not like 'pg_toast_temp_%'`;
/** Objects an extension brings belong to the extension, not to the migrations. */
const notFromExtension = (oid: string) =>
  `not exists (select 1 from pg_depend x where x.objid = ${oid} and x.deptype = 'e')`;

/** A catalog with nothing in it, to be filled. */
export function emptyCatalogState(): CatalogState {
  return {
    schemas: new Set(),
    extensions: new Map(),
    tables: new Map(),
    columns: new Map(),
    constraints: new Map(),
    indexes: new Map(),
    enums: new Map(),
    sequences: new Map(),
    views: new Map(),
    functions: new Map(),
    triggers: new Map(),
    policies: new Map(),
  };
}

export async function readCatalogState(session: Session): Promise<CatalogState> {
  const state = emptyCatalogState();
  for (const row of await session.query<{ name: string }>(
    `select nspname as name from pg_namespace where ${userSchema('nspname')} and nspname <> 'public'`,
  ))
    state.schemas.add(row.name);
  for (const row of await session.query<{ name: string; schema: string; version: string }>(
    `select e.extname as name, n.nspname as schema, e.extversion as version from pg_extension e
       join pg_namespace n on n.oid = e.extnamespace where e.extname <> 'plpgsql'`,
  ))
    state.extensions.set(row.name, row);
  for (const row of await session.query<{
    schema: string;
    name: string;
    rls: boolean;
    force: boolean;
    options: string[] | null;
    partitioned: boolean;
  }>(
    `select n.nspname as schema, c.relname as name, c.relrowsecurity as rls, c.relforcerowsecurity as force,
            c.reloptions as options, c.relkind = 'p' as partitioned
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and ${userSchema('n.nspname')}`,
  )) {
    state.tables.set(`${row.schema}.${row.name}`, {
      schema: row.schema,
      name: row.name,
      rowLevelSecurity: row.rls,
      forceRowLevelSecurity: row.force,
      options: row.options ?? [],
      partitioned: row.partitioned,
    });
  }
  for (const row of await session.query<
    Omit<CatalogColumn, 'identity'> & {
      identity: string;
      enumSchema: string | null;
      enumName: string | null;
    }
  >(
    `select n.nspname as schema, c.relname as "table", a.attname as name,
            format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as "notNull",
            pg_get_expr(d.adbin, d.adrelid) as default, a.attidentity as identity,
            a.attgenerated = 's' as generated,
            en.nspname as "enumSchema", et.typname as "enumName"
       from pg_attribute a
       join pg_class c on c.oid = a.attrelid
       join pg_namespace n on n.oid = c.relnamespace
       join pg_type t on t.oid = a.atttypid
       left join pg_type et on et.oid = case when t.typcategory = 'A' then t.typelem else t.oid end and et.typtype = 'e'
       left join pg_namespace en on en.oid = et.typnamespace
       left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
      where c.relkind in ('r', 'p') and a.attnum > 0 and not a.attisdropped and ${userSchema('n.nspname')}`,
  )) {
    state.columns.set(`${row.schema}.${row.table}.${row.name}`, {
      schema: row.schema,
      table: row.table,
      name: row.name,
      type: row.type,
      notNull: row.notNull,
      default: row.default,
      identity: row.identity as CatalogColumn['identity'],
      generated: row.generated,
      enumKey: row.enumName ? `${row.enumSchema}.${row.enumName}` : null,
    });
  }
  for (const row of await session.query<CatalogConstraint>(
    `select n.nspname as schema, c.relname as "table", con.conname as name, con.contype as kind,
            pg_get_constraintdef(con.oid) as definition
       from pg_constraint con
       join pg_class c on c.oid = con.conrelid
       join pg_namespace n on n.oid = c.relnamespace
      where con.contype in ('p', 'u', 'f', 'c', 'x') and ${userSchema('n.nspname')}`,
  ))
    state.constraints.set(`${row.schema}.${row.table}.${row.name}`, row);
  for (const row of await session.query<CatalogIndex>(
    `select n.nspname as schema, t.relname as "table", i.relname as name, pg_get_indexdef(i.oid) as definition,
            exists (select 1 from pg_constraint con where con.conindid = i.oid and con.contype in ('p', 'u', 'x')) as "ofConstraint"
       from pg_index x
       join pg_class i on i.oid = x.indexrelid
       join pg_class t on t.oid = x.indrelid
       join pg_namespace n on n.oid = i.relnamespace
      where ${userSchema('n.nspname')}`,
  ))
    state.indexes.set(`${row.schema}.${row.name}`, row);
  for (const row of await session.query<{ schema: string; name: string; labels: string[] }>(
    `select n.nspname as schema, t.typname as name,
            array_agg(e.enumlabel::text order by e.enumsortorder) as labels
       from pg_type t join pg_enum e on e.enumtypid = t.oid join pg_namespace n on n.oid = t.typnamespace
      where ${userSchema('n.nspname')} and ${notFromExtension('t.oid')}
      group by n.nspname, t.typname`,
  ))
    state.enums.set(`${row.schema}.${row.name}`, row);
  for (const row of await session.query<
    Omit<CatalogSequence, 'ownedBy'> & { ownedBy: string | null }
  >(
    `select s.schemaname as schema, s.sequencename as name, s.data_type::text as "dataType",
            s.start_value::text as start, s.increment_by::text as increment, s.min_value::text as min,
            s.max_value::text as max, s.cache_size::text as cache, s.cycle,
            (select tn.nspname || '.' || tc.relname || '.' || ta.attname
               from pg_depend d
               join pg_class tc on tc.oid = d.refobjid
               join pg_namespace tn on tn.oid = tc.relnamespace
               join pg_attribute ta on ta.attrelid = d.refobjid and ta.attnum = d.refobjsubid
              where d.classid = 'pg_class'::regclass and d.objid = format('%I.%I', s.schemaname, s.sequencename)::regclass
                and d.refclassid = 'pg_class'::regclass and d.deptype in ('a', 'i') limit 1) as "ownedBy"
       from pg_sequences s where ${userSchema('s.schemaname')}`,
  ))
    state.sequences.set(`${row.schema}.${row.name}`, row);
  for (const row of await session.query<{
    schema: string;
    name: string;
    definition: string;
    materialized: boolean;
  }>(
    `select schemaname as schema, viewname as name, definition, false as materialized
       from pg_views where ${userSchema('schemaname')}
     union all
     select schemaname, matviewname, definition, true from pg_matviews where ${userSchema('schemaname')}`,
  ))
    state.views.set(`${row.schema}.${row.name}`, row);
  for (const row of await session.query<{
    schema: string;
    name: string;
    signature: string;
    definition: string;
  }>(
    `select n.nspname as schema, p.proname as name, pg_get_function_identity_arguments(p.oid) as signature,
            pg_get_functiondef(p.oid) as definition
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where p.prokind in ('f', 'p') and ${userSchema('n.nspname')} and ${notFromExtension('p.oid')}`,
  ))
    state.functions.set(`${row.schema}.${row.name}(${row.signature})`, row);
  for (const row of await session.query<{
    schema: string;
    table: string;
    name: string;
    definition: string;
  }>(
    `select n.nspname as schema, c.relname as "table", t.tgname as name, pg_get_triggerdef(t.oid) as definition
       from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
      where not t.tgisinternal and ${userSchema('n.nspname')}`,
  ))
    state.triggers.set(`${row.schema}.${row.table}.${row.name}`, row);
  for (const row of await session.query<{
    schema: string;
    table: string;
    name: string;
    permissive: string;
    roles: string[];
    command: string;
    using: string | null;
    check: string | null;
  }>(
    `select schemaname as schema, tablename as "table", policyname as name, permissive,
            roles::text[] as roles, cmd as command, qual as using, with_check as check
       from pg_policies where ${userSchema('schemaname')}`,
  )) {
    state.policies.set(`${row.schema}.${row.table}.${row.name}`, {
      ...row,
      permissive: row.permissive === 'PERMISSIVE',
    });
  }
  return state;
}

/**
 * What differs between two states, one line per object ("missing column
 * public.users.email", "changed index public.users_email_idx"), sorted. Empty
 * when the schemas are the same in every detail `verify` compares, and more.
 */
export function stateDifferences(expected: CatalogState, actual: CatalogState): string[] {
  const lines: string[] = [];
  const compare = (kind: string, a: Map<string, unknown>, b: Map<string, unknown>) => {
    for (const [key, value] of a) {
      if (!b.has(key)) lines.push(`missing ${kind} ${key}`);
      else if (JSON.stringify(value) !== JSON.stringify(b.get(key)))
        lines.push(`changed ${kind} ${key}`);
    }
    for (const key of b.keys()) if (!a.has(key)) lines.push(`unexpected ${kind} ${key}`);
  };
  const asMap = (set: Set<string>) => new Map([...set].map((name) => [name, true]));
  compare('schema', asMap(expected.schemas), asMap(actual.schemas));
  for (const kind of [
    'extensions',
    'tables',
    'columns',
    'constraints',
    'indexes',
    'enums',
    'sequences',
    'views',
    'functions',
    'triggers',
    'policies',
  ] as const)
    compare(kind.replace(/s$/, '').replace(/ie$/, 'y'), expected[kind], actual[kind]);
  return lines.sort();
}

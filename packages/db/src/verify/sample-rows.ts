import type { Session } from '../engines/session.js';

/**
 * Rows that `verify` writes into the tables a migration leaves alone, to prove
 * they survive its down and up scripts. Values are derived from each column's
 * type; a foreign key takes a row of the table it references (tables are filled
 * in an order that puts referenced tables first). A table whose row cannot be
 * built (an exotic type or check) is left empty and not sampled.
 */
interface ColumnInfo {
  table: string;
  column: string;
  type: string;
  needsValue: boolean;
  references: string | null;
  referencedColumn: string | null;
}

const valueForType = (type: string, seed: number): string | null => {
  const t = type.toLowerCase();
  if (t.endsWith('[]')) return `'{}'`;
  if (/^(smallint|integer|bigint|numeric|real|double precision|decimal)/.test(t))
    return String(seed);
  if (/^(text|character varying|varchar|character|char|citext)/.test(t)) return `'sample ${seed}'`;
  if (t === 'uuid') return 'gen_random_uuid()';
  if (t === 'boolean') return 'true';
  if (t.startsWith('timestamp') || t === 'date') return `'2024-01-0${(seed % 9) + 1}'`;
  if (t.startsWith('time')) return `'12:00'`;
  if (t === 'jsonb' || t === 'json') return `'{"sample": ${seed}}'`;
  if (t === 'bytea') return `'\\x00'`;
  if (t === 'interval') return `'1 day'`;
  return null;
};

export async function listTables(session: Session): Promise<string[]> {
  const rows = await session.query<{ name: string }>(
    `select format('%I.%I', n.nspname, c.relname) as name
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema', 'drizzle')
        and n.nspname not like 'pg_%'`,
  );
  return rows.map((r) => r.name);
}

async function describeColumns(session: Session): Promise<ColumnInfo[]> {
  return session.query<ColumnInfo>(
    `select format('%I.%I', n.nspname, c.relname) as "table", quote_ident(a.attname) as "column",
            format_type(a.atttypid, a.atttypmod) as type,
            (a.attnotnull and d.adbin is null and a.attidentity = '' and a.attgenerated = '') as "needsValue",
            (select format('%I.%I', rn.nspname, rc.relname) from pg_constraint f
               join pg_class rc on rc.oid = f.confrelid join pg_namespace rn on rn.oid = rc.relnamespace
              where f.conrelid = c.oid and f.contype = 'f' and f.conkey[1] = a.attnum limit 1) as "references",
            (select quote_ident(ra.attname) from pg_constraint f
               join pg_attribute ra on ra.attrelid = f.confrelid and ra.attnum = f.confkey[1]
              where f.conrelid = c.oid and f.contype = 'f' and f.conkey[1] = a.attnum limit 1) as "referencedColumn"
       from pg_attribute a
       join pg_class c on c.oid = a.attrelid
       join pg_namespace n on n.oid = c.relnamespace
       left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
      where c.relkind in ('r', 'p') and a.attnum > 0 and not a.attisdropped
        and n.nspname not in ('pg_catalog', 'information_schema', 'drizzle') and n.nspname not like 'pg_%'
      order by c.relname, a.attnum`,
  );
}

/**
 * The rows `verify` watches through a migration's down and up: those already in
 * the tables it leaves alone (a migration may have seeded them), plus one sample
 * row in each of those tables that was empty. Round trips stay constant per
 * migration, whatever the number of tables.
 */
export class WatchedRows {
  private constructor(
    private readonly session: Session,
    /** Tables that were empty, in the order their sample rows went in. */
    readonly sampled: string[],
    private readonly prints: Map<string, string>,
  ) {}

  static async watch(session: Session, tables: string[], seed: number): Promise<WatchedRows> {
    if (tables.length === 0) return new WatchedRows(session, [], new Map());
    const empty = new Set(
      [...(await digests(session, tables))].filter(([, d]) => d.rows === 0).map(([t]) => t),
    );
    const inserts = await sampleInserts(session, [...empty], seed);
    if (inserts.length > 0) await session.exec(tryEach(inserts.map((i) => i.sql)));
    const prints = new Map<string, string>();
    const sampled: string[] = [];
    for (const [table, digest] of await digests(session, tables)) {
      prints.set(table, digest.md5);
      if (empty.has(table) && digest.rows > 0) sampled.push(table);
    }
    const order = inserts.map((i) => i.table);
    sampled.sort((a, b) => order.indexOf(a) - order.indexOf(b));
    return new WatchedRows(session, sampled, prints);
  }

  /** Tables whose rows are not what they were when watching began. */
  async changed(): Promise<string[]> {
    if (this.prints.size === 0) return [];
    const now = await digests(this.session, [...this.prints.keys()]);
    return [...this.prints].filter(([table, md5]) => now.get(table)?.md5 !== md5).map(([t]) => t);
  }

  /**
   * Takes the sample rows out again, so that a later migration meets its tables
   * as it would on a fresh database. Referencing tables go first; rows seeded by
   * migrations stay.
   */
  async release(): Promise<void> {
    if (this.sampled.length === 0) return;
    const deletes = [...this.sampled].reverse().map((table) => `delete from ${table};`);
    await this.session
      .exec(deletes.join(' '))
      .catch(() =>
        this.session.exec(`truncate ${this.sampled.join(', ')} cascade`).catch(() => undefined),
      );
  }
}

interface Digest {
  md5: string;
  rows: number;
}

/** A digest of each table's rows, independent of their physical order, in one query. */
async function digests(session: Session, watched: string[]): Promise<Map<string, Digest>> {
  // A watched table that is gone has no digest: it counts as changed, it does not stop verify.
  const present = await session.query<{ name: string }>(
    'select name from unnest($1::text[]) as name where to_regclass(name) is not null',
    [watched],
  );
  const tables = present.map((row) => row.name);
  if (tables.length === 0) return new Map();
  const parts = tables.map(
    (table) =>
      `select ${quoteLiteral(table)} as "table", count(*)::int as rows,
              md5(coalesce(string_agg(watched::text, '|' order by watched::text), '')) as md5 from ${table} watched`,
  );
  const rows = await session.query<{ table: string; rows: number; md5: string }>(
    parts.join('\nunion all\n'),
  );
  return new Map(rows.map((r) => [r.table, { md5: r.md5, rows: Number(r.rows) }]));
}

const quoteLiteral = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/** One DO block in which each insert may fail alone (a check or a type we cannot fill). */
function tryEach(statements: string[]): string {
  const body = statements
    .map((sql) => `  begin\n    ${sql};\n  exception when others then null;\n  end;`)
    .join('\n');
  const tag = `$jam_sample_${statements.length}$`;
  return `do ${tag}\nbegin\n${body}\nend\n${tag}`;
}

/** An insert per table that can take a row, referenced tables first. */
async function sampleInserts(
  session: Session,
  tables: string[],
  seed: number,
): Promise<{ table: string; sql: string }[]> {
  if (tables.length === 0) return [];
  const columns = await describeColumns(session);
  const pending = new Set(tables);
  const inserts: { table: string; sql: string }[] = [];
  // Referenced tables first: repeat passes until no table makes progress.
  for (let pass = 0; pass < tables.length && pending.size > 0; pass++) {
    let progressed = false;
    for (const table of [...pending]) {
      const own = columns.filter((c) => c.table === table);
      const waitsFor = own.find(
        (c) => c.references && c.references !== table && pending.has(c.references),
      );
      if (waitsFor) continue;
      pending.delete(table);
      progressed = true;
      const sql = insertFor(table, own, seed);
      if (sql) inserts.push({ table, sql });
    }
    if (!progressed) break;
  }
  return inserts;
}

function insertFor(table: string, own: ColumnInfo[], seed: number): string | null {
  const values: [string, string][] = [];
  for (const column of own) {
    const fromReference =
      column.references && column.referencedColumn
        ? `(select ${column.referencedColumn} from ${column.references} limit 1)`
        : null;
    if (!column.needsValue && !column.references) continue;
    const value = fromReference ?? valueForType(column.type, seed);
    if (value === null) {
      if (column.needsValue) return null;
      continue;
    }
    values.push([column.column, value]);
  }
  return values.length === 0
    ? `insert into ${table} default values`
    : `insert into ${table} (${values.map(([c]) => c).join(', ')}) values (${values.map(([, v]) => v).join(', ')})`;
}

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

/** Inserts one row into each of `tables` that can take one; returns those that did. */
export async function insertSampleRows(
  session: Session,
  tables: string[],
  seed: number,
): Promise<string[]> {
  if (tables.length === 0) return [];
  const columns = await describeColumns(session);
  const pending = new Set(tables);
  const sampled: string[] = [];
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
      const values: [string, string][] = [];
      let buildable = true;
      for (const column of own) {
        const fromReference =
          column.references && column.referencedColumn
            ? `(select ${column.referencedColumn} from ${column.references} limit 1)`
            : null;
        if (!column.needsValue && !column.references) continue;
        const value = fromReference ?? valueForType(column.type, seed);
        if (value === null) {
          buildable = buildable && !column.needsValue;
          continue;
        }
        values.push([column.column, value]);
      }
      if (!buildable) continue;
      const sql =
        values.length === 0
          ? `insert into ${table} default values`
          : `insert into ${table} (${values.map(([c]) => c).join(', ')}) values (${values.map(([, v]) => v).join(', ')})`;
      try {
        await session.exec(`savepoint jam_sample; ${sql}; release savepoint jam_sample;`);
        sampled.push(table);
      } catch {
        await session
          .exec('rollback to savepoint jam_sample; release savepoint jam_sample;')
          .catch(() => undefined);
      }
    }
    if (!progressed) break;
  }
  return sampled;
}

/** A digest of a table's rows, independent of their physical order. */
export async function fingerprint(session: Session, table: string): Promise<string> {
  const [row] = await session.query<{ digest: string | null }>(
    `select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as digest from ${table} t`,
  );
  return row?.digest ?? '';
}

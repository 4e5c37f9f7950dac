import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

/** Empty databases on one PostgreSQL server, each created for one run and dropped after it. */
export class ScratchDatabases {
  private readonly admin: pg.Client;
  private readonly live = new Set<string>();

  constructor(private readonly adminUrl: string) {
    this.admin = new pg.Client({ connectionString: adminUrl, application_name: 'jam-bench' });
  }

  async open(): Promise<string> {
    await this.admin.connect();
    const [row] = (await this.admin.query<{ server_version: string }>('show server_version')).rows;
    return row!.server_version;
  }

  /** A new database, empty or a copy of `template` (a database made by this instance). */
  async create(template?: string): Promise<string> {
    // A random name, so a crashed earlier run or a concurrent one never collides.
    const name = `jam_bench_${randomBytes(6).toString('hex')}`;
    const from = template ? ` TEMPLATE "${new URL(template).pathname.slice(1)}"` : '';
    for (let attempt = 1; ; attempt++) {
      try {
        await this.admin.query(`CREATE DATABASE "${name}"${from}`);
        break;
      } catch (error) {
        // 55006: a session (autovacuum, say) is still in the template; it leaves within moments.
        const busy = (error as { code?: string }).code === '55006';
        if (!busy || attempt === 10) throw error;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
    this.live.add(name);
    const url = new URL(this.adminUrl);
    url.pathname = `/${name}`;
    return url.toString();
  }

  async drop(url: string): Promise<void> {
    const name = new URL(url).pathname.slice(1);
    await this.admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    this.live.delete(name);
  }

  async close(): Promise<void> {
    for (const name of this.live) {
      await this.admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => {});
    }
    await this.admin.end();
  }
}

/** Fresh PGlite folders under the work dir, removed with it. */
export const freshPgliteDir = (workDir: string, label: string): string =>
  mkdtempSync(join(workDir, `pglite-${label}-`));

export const removeDir = (dir: string): void => rmSync(dir, { recursive: true, force: true });

/**
 * The public schema as sorted lines: every column with its type, nullability and
 * default, every index, constraint and enum. Equal lines mean an equal schema.
 * NOT NULL constraints are left out: PostgreSQL 18 (PGlite) lists them in
 * pg_constraint, 15 does not, and the columns already carry nullability.
 */
const fingerprintSql = `
  select 'column' as kind, table_name || '.' || column_name as name,
         concat_ws(' ', udt_name, is_nullable, column_default) as detail
    from information_schema.columns where table_schema = 'public'
  union all
  select 'index', indexname, indexdef from pg_indexes where schemaname = 'public'
  union all
  select 'constraint', conrelid::regclass::text || '.' || conname, pg_get_constraintdef(oid)
    from pg_constraint where connamespace = 'public'::regnamespace and contype <> 'n'
  union all
  select 'enum', t.typname, string_agg(e.enumlabel, ',' order by e.enumsortorder)
    from pg_type t join pg_enum e on e.enumtypid = t.oid
   where t.typnamespace = 'public'::regnamespace group by t.typname`;

interface FingerprintRow {
  kind: string;
  name: string;
  detail: string;
}

// Sorted here, not in SQL: PGlite and the server may collate differently.
const asLines = (rows: FingerprintRow[]) =>
  rows.map((r) => `${r.kind} ${r.name}: ${r.detail}`).sort();

export async function postgresFingerprint(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url, application_name: 'jam-bench' });
  await client.connect();
  try {
    return asLines((await client.query<FingerprintRow>(fingerprintSql)).rows);
  } finally {
    await client.end();
  }
}

export async function pgliteFingerprint(dataDir: string): Promise<string[]> {
  const db = await PGlite.create(dataDir);
  try {
    return asLines((await db.query<FingerprintRow>(fingerprintSql)).rows);
  } finally {
    await db.close();
  }
}

/** The first lines where two fingerprints differ, or [] when they are equal. */
export function fingerprintDiff(a: string[], b: string[], limit = 5): string[] {
  const inB = new Set(b);
  const inA = new Set(a);
  return [
    ...a.filter((line) => !inB.has(line)).map((line) => `- ${line}`),
    ...b.filter((line) => !inA.has(line)).map((line) => `+ ${line}`),
  ].slice(0, limit);
}

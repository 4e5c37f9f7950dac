import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { vector } from '@electric-sql/pglite-pgvector';
import { workBudget } from '@jam/testing/work-budget';
import { describe, expect, it } from 'vitest';
import type { Migration } from '../src/drizzle-kit/migration-folder.js';
import { openPglite } from '../src/engines/pglite.js';
import { missingExtensionOf } from '../src/migrations/extension-hint.js';
import { extensionsCreatedBy } from '../src/migrations/extensions.js';
import { openScratchDatabase } from '../src/verify/scratch-database.js';
import { runCli } from './support/cli.js';
import { type CorpusName, corporaPresent, corpusPrefix } from './support/corpora.js';
import { useScratchDatabase } from './support/databases.js';
import { writeMigrationsFolder } from './support/folders.js';

const migration = (tag: string, sql: string): Migration =>
  ({ tag, sql, path: `/m/${tag}.sql` }) as Migration;

describe('the extensions a folder of migrations creates', () => {
  it('reads quoted and unquoted names with the line that creates them, and skips comments', () => {
    const needs = extensionsCreatedBy([
      migration('0000_a', '-- CREATE EXTENSION postgis;\nCREATE EXTENSION if not exists pgcrypto;'),
      migration(
        '0001_b',
        '/* create extension hstore; */\nSELECT 1;\nCREATE EXTENSION IF NOT EXISTS "uuid-ossp" WITH SCHEMA public;\ncreate extension PG_TRGM; create extension pgcrypto;',
      ),
    ]);
    expect(needs.map((n) => n.name)).toEqual(['pgcrypto', 'uuid-ossp', 'pg_trgm']);
    expect(needs[0]!.neededBy).toMatch(/^line 2 of .*0000_a\.sql$/);
    expect(needs[1]!.neededBy).toMatch(/^line 3 of .*0001_b\.sql$/);
  });
});

describe('PGlite opens with the extensions a database already has', () => {
  const db = useScratchDatabase('pglite');

  it('reads vector values from a folder whose database created vector, though no migration asks', async () => {
    const dataDir = (db.target as { dataDir: string }).dataDir;
    const maker = await PGlite.create(dataDir, { extensions: { vector } });
    await maker.exec(
      "CREATE EXTENSION vector; CREATE TABLE items (embedding vector(3)); INSERT INTO items VALUES ('[1,2,3]');",
    );
    await maker.close();

    const open = await openPglite(dataDir, { purpose: 'test', folderLockTimeoutMs: 1000 });
    try {
      const { rows } = await open.client.query<{ distance: number }>(
        "SELECT embedding <-> '[1,2,4]' AS distance FROM items",
      );
      expect(rows).toEqual([{ distance: 1 }]);
    } finally {
      await open.close();
    }
  });

  it('gives a scratch database the extensions its migrations create', async () => {
    const scratch = await openScratchDatabase(
      { engine: 'pglite', dataDir: null },
      { extensions: [{ name: 'pg_trgm', neededBy: 'a test' }] },
    );
    try {
      await scratch.session.exec('CREATE EXTENSION pg_trgm');
      const [row] = await scratch.session.query<{ s: number }>(
        "SELECT similarity('jam', 'jar') > 0 AS s",
      );
      expect(row).toEqual({ s: true });
    } finally {
      await scratch.drop();
    }
  });
});

// Each corpus through the first migration that uses its extension.
const corpora: [CorpusName, number, string][] = [
  ['tambo', 1, 'pgcrypto'],
  ['scorebrawl', 11, 'uuid-ossp'],
  ['giselle', 34, 'vector'],
];

describe.skipIf(!corporaPresent)(
  corporaPresent
    ? 'jam-db migrate on PGlite runs real histories that need extensions'
    : 'jam-db migrate on PGlite runs real histories that need extensions (skipped: ../shared/corpora is missing)',
  () => {
    const db = useScratchDatabase('pglite');

    it.each(corpora)(
      '%s (first %i migrations, extension %s)',
      async (name, count, extension) => {
        const folder = corpusPrefix(name, count);
        const result = await runCli(['migrate', '--migrations', folder], db.env);
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
        const installed = await db.sql<{ extname: string }>('SELECT extname FROM pg_extension');
        expect(installed.map((r) => r.extname)).toContain(extension);
      },
      workBudget({ cliRuns: 2 }),
    );

    it(
      'autumn, after pg_trgm was created first as its MANIFEST says',
      async () => {
        const dataDir = (db.target as { dataDir: string }).dataDir;
        const maker = await PGlite.create(dataDir, { extensions: { pg_trgm } });
        await maker.exec('CREATE EXTENSION pg_trgm');
        await maker.close();
        const result = await runCli(['migrate', '--migrations', corpusPrefix('autumn', 1)], db.env);
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
        const [index] = await db.sql<{ indexdef: string }>(
          "SELECT indexdef FROM pg_indexes WHERE indexdef LIKE '%gin_trgm_ops%' LIMIT 1",
        );
        expect(index?.indexdef).toMatch(/USING gin .*gin_trgm_ops/);
      },
      workBudget({ cliRuns: 2, pgliteOpens: 2 }),
    );
  },
);

describe('an extension PGlite does not ship', () => {
  const db = useScratchDatabase('pglite');

  it('stops before anything runs, naming it, where it is created, and PostgreSQL', async () => {
    const folder = writeMigrationsFolder([
      { tag: '0000_places', sql: 'CREATE TABLE places (id serial PRIMARY KEY);' },
      {
        tag: '0001_geo',
        sql: '-- Needs PostGIS.\nCREATE EXTENSION IF NOT EXISTS postgis;\n--> statement-breakpoint\nALTER TABLE places ADD COLUMN at geometry;',
      },
    ]);
    const dataDir = join(folder, 'never-created');
    const env = { DATABASE_URL: `pglite:${dataDir}` };
    const result = await runCli(['migrate', '--migrations', folder], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^jam-db: These migrations cannot run on PGlite: they create extension "postgis" \(line 2 of \S*0001_geo\.sql\), which PGlite does not ship\. Nothing was changed\.\nRun them on PostgreSQL with postgis installed: DATABASE_URL=postgres:\/\/user@host:5432\/db\. PGlite ships [^\n]*\bpg_trgm\b[^\n]*\bvector\.\n$/,
    );
    expect(existsSync(dataDir)).toBe(false);

    const json = await runCli(['migrate', '--json', '--migrations', folder], db.env);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).error.code).toBe('extension-unavailable');
  });
});

describe('a "does not exist" error', () => {
  it('is traced to the extension from the database\'s "does not exist"', () => {
    const error = (code: string, message: string) => missingExtensionOf({ code, message });
    expect(
      error('42704', 'operator class "gin_trgm_ops" does not exist for access method "gin"'),
    ).toEqual({ name: 'gin_trgm_ops', extension: 'pg_trgm' });
    expect(error('42704', 'type "public.vector" does not exist')).toEqual({
      name: 'vector',
      extension: 'vector',
    });
    expect(error('42883', 'function uuid_generate_v4() does not exist')).toEqual({
      name: 'uuid_generate_v4',
      extension: 'uuid-ossp',
    });
    expect(error('42883', 'function my_own(integer) does not exist')).toBeNull();
    expect(error('42P01', 'relation "vector" does not exist')).toBeNull();
  });
});

describe('a migration that uses an extension no migration creates', () => {
  const db = useScratchDatabase('pglite');

  it('fails with a hint to create the extension first', async () => {
    const folder = writeMigrationsFolder([
      {
        tag: '0000_search',
        sql: 'CREATE TABLE customers (email text);\n--> statement-breakpoint\nCREATE INDEX customers_email ON customers USING gin (email gin_trgm_ops);',
      },
    ]);
    const result = await runCli(['migrate', '--migrations', folder], db.env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /operator class "gin_trgm_ops" does not exist for access method "gin" \(SQLSTATE 42704\)\n[\s\S]*\n"gin_trgm_ops" comes from the extension pg_trgm, which no migration before this one creates\. Add CREATE EXTENSION IF NOT EXISTS "pg_trgm"; before its first use \(at the top of this migration, if no database has applied it yet\), or create the extension in the database before migrating\.\n$/,
    );
  });
});

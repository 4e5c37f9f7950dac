import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { workBudget } from '@jam/testing/work-budget';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { binPath, runCli } from './support/cli.js';
import {
  createScratchDatabase,
  describeServer,
  type ScratchDatabase,
  serverUrl,
} from './support/databases.js';
import { writeMigrationsFolder } from './support/folders.js';

describe('connecting', () => {
  it('gives up on a server that accepts the connection but never answers', async () => {
    const silent = createServer(() => {
      // Accept and say nothing, like a hung server or a black-holing proxy.
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const started = Date.now();
      const result = await runCli(['status'], {
        DATABASE_URL: `postgres://jam:secret@127.0.0.1:${port}/jam`,
        JAM_DB_CONNECT_TIMEOUT: '1',
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /Could not connect to PostgreSQL at postgres:\/\/jam:\*\*\*@127\.0\.0\.1:\d+\/jam: the server did not answer within 1s/,
      );
      // It gave up after its 1 s instead of waiting on: one CLI run's budget bounds it.
      expect(Date.now() - started).toBeLessThan(workBudget({ cliRuns: 1, waitSeconds: 1 }));
    } finally {
      silent.close();
    }
  });
});

describeServer('waiting for locks on PostgreSQL', () => {
  let db: ScratchDatabase;
  let blocker: pg.Client;
  beforeEach(async () => {
    db = await createScratchDatabase('postgres');
    blocker = new pg.Client({ connectionString: db.env.DATABASE_URL });
    await blocker.connect();
  });
  afterEach(async () => {
    await blocker.end();
    await db.drop();
  });

  it('fails fast behind a long transaction, retries, then names the lock timeout', async () => {
    const dir = writeMigrationsFolder([{ tag: '0000_t', sql: 'CREATE TABLE t (id int)' }]);
    expect((await runCli(['migrate', '--migrations', dir], db.env)).code).toBe(0);
    writeMigrationsFolder(
      [
        { tag: '0000_t', sql: 'CREATE TABLE t (id int)' },
        { tag: '0001_alter', sql: 'ALTER TABLE t ADD COLUMN name text' },
      ],
      dir,
    );
    await blocker.query('BEGIN');
    await blocker.query('SELECT * FROM t'); // holds ACCESS SHARE until the transaction ends

    const result = await runCli(
      ['migrate', '--migrations', dir, '--lock-timeout', '200', '--lock-retries', '2'],
      db.env,
    );
    expect(result.code).toBe(1);
    // 250 ms, then 500 ms, each ±25 %.
    expect(result.stdout).toMatch(
      /lock_timeout in 0001_alter: trying again in (1[89]\d|2\d\d|3[01]\d) ms \(retry 1\)/,
    );
    expect(result.stdout).toMatch(/trying again in (3[7-9]\d|[4-6]\d\d) ms \(retry 2\)/);
    expect(result.stderr).toMatch(/canceling statement due to lock timeout \(SQLSTATE 55P03\)/);
    expect(result.stderr).toMatch(/could not lock "public"\."t" within 200 ms, 3 attempts over/);

    await blocker.query('ROLLBACK');
    expect((await runCli(['migrate', '--migrations', dir], db.env)).code).toBe(0);
  });

  it('gives up waiting for another run’s migration lock after --lock-wait', async () => {
    await blocker.query('SELECT pg_advisory_lock(116966676063330)');
    const result = await runCli(['migrate', '--lock-wait', '1'], db.env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /Another jam-db run holds the migration lock on this database \(backend pid \d+/,
    );
    expect(result.stderr).toMatch(/--lock-wait/);
  });
});

describeServer('startup', () => {
  it('status against PostgreSQL loads neither PGlite nor drizzle-kit', async () => {
    const record = join(mkdtempSync(join(tmpdir(), 'jam-imports-')), 'imports.txt');
    const hook = fileURLToPath(new URL('./support/record-imports.mjs', import.meta.url));
    const code = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, ['--import', hook, binPath, 'status'], {
        env: { ...process.env, DATABASE_URL: serverUrl, JAM_RECORD_IMPORTS: record },
        stdio: 'ignore',
      });
      child.on('close', (exitCode) => resolve(exitCode ?? -1));
    });
    expect([0, 3]).toContain(code);
    const loaded = readFileSync(record, 'utf8');
    expect(loaded).toMatch(/dist\/cli\/postgres-/);
    expect(loaded).not.toMatch(/pglite/);
    expect(loaded).not.toMatch(/drizzle-kit/);
    expect(loaded).not.toMatch(/@neondatabase/);
  });
});

import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { workBudget } from '@jam/testing/work-budget';
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { binPath, type CliResult, runCli } from './support/cli.js';
import { describeServer, useScratchDatabase } from './support/databases.js';
import { useMigrationsFolders } from './support/folders.js';

const folder = useMigrationsFolders();

describeServer('migrating while other sessions use the tables (PostgreSQL)', () => {
  const db = useScratchDatabase('postgres');
  const clients: pg.Client[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.end().catch(() => undefined)));
  });

  async function connect(applicationName: string): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: db.env.DATABASE_URL,
      application_name: applicationName,
    });
    await client.connect();
    clients.push(client);
    return client;
  }

  /** A run of the CLI whose stdout the test can watch while it runs. */
  function startMigrate(args: string[]) {
    const { DATABASE_URL, JAM_DB_DIRECT_URL, JAM_DB_DRIVER, NEON_WS_PROXY, ...rest } = process.env;
    const child = spawn(process.execPath, [binPath, 'migrate', ...args], {
      env: { ...rest, ...db.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const result: CliResult = { code: -1, stdout: '', stderr: '' };
    child.stdout.on('data', (chunk) => {
      result.stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      result.stderr += chunk;
    });
    const done = new Promise<CliResult>((resolve) =>
      child.on('close', (code) => resolve({ ...result, code: code ?? -1 })),
    );
    return { result, done };
  }

  async function until(condition: () => Promise<boolean> | boolean, what: string) {
    const deadline = Date.now() + workBudget({ cliRuns: 2 });
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`gave up waiting until ${what}`);
      await sleep(20);
    }
  }

  async function migrated(migrations: { tag: string; sql: string }[], to: string) {
    const dir = folder(...migrations);
    const first = await runCli(['migrate', '--migrations', dir, '--to', to], db.env);
    expect(first.stderr).toBe('');
    return dir;
  }

  it(
    'does not hold a lock on an existing table while a later migration of the run works',
    async () => {
      const gate = 4711;
      const dir = await migrated(
        [
          { tag: '0000_existing', sql: 'CREATE TABLE existing (id int)' },
          { tag: '0001_add_column', sql: 'ALTER TABLE existing ADD COLUMN note text' },
          { tag: '0002_slow', sql: `SELECT pg_advisory_xact_lock(${gate})` },
        ],
        '0000_existing',
      );
      const gatekeeper = await connect('gatekeeper');
      await gatekeeper.query(`SELECT pg_advisory_lock(${gate})`);
      const run = startMigrate(['--migrations', dir]);
      const waitsAtGate = async () =>
        (
          await db.sql(
            `select 1 from pg_locks l join pg_database d on d.oid = l.database
              where d.datname = current_database() and l.locktype = 'advisory' and not l.granted and l.objid = ${gate}`,
          )
        ).length > 0;
      await until(waitsAtGate, 'the run waits in 0002_slow');

      // A writer that would give up after 100 ms: before, 0001's ACCESS EXCLUSIVE lasted until 0002 ended.
      const writer = await connect('writer');
      await writer.query(`SET lock_timeout = '100ms'`);
      await writer.query(`INSERT INTO existing (id, note) VALUES (1, 'written meanwhile')`);

      await gatekeeper.query(`SELECT pg_advisory_unlock(${gate})`);
      const done = await run.done;
      expect(done.stderr).toBe('');
      expect(done.code).toBe(0);
      expect(done.stdout).toMatch(/Applied 2 migration\(s\)/);
    },
    workBudget({ cliRuns: 3 }),
  );

  it(
    'names the session that holds the lock when the retries run out',
    async () => {
      const dir = await migrated(
        [
          { tag: '0000_hot', sql: 'CREATE TABLE hot (id int)' },
          { tag: '0001_add_column', sql: 'ALTER TABLE hot ADD COLUMN note text' },
        ],
        '0000_hot',
      );
      const reader = await connect('report-job');
      const [{ pid }] = (await reader.query('select pg_backend_pid() as pid')).rows;
      await reader.query('BEGIN');
      await reader.query(`SELECT * FROM hot WHERE id <> 42 OR 'password' = 'hunter2'`);

      const args = ['migrate', '--migrations', dir, '--lock-timeout', '50', '--lock-retries', '1'];
      const text = await runCli(args, db.env);
      expect(text.code).toBe(1);
      expect(text.stderr).toMatch(
        /Migration 0001_add_column could not lock "public"\."hot" within 50 ms, 2 attempts over \d+\.\d s \(at statement 1 \(line 1 of .*0001_add_column\.sql\): ALTER TABLE hot ADD COLUMN note text\)\./,
      );
      expect(text.stderr).toContain(
        `Blocked by pid ${pid} (application "report-job", idle in transaction, transaction started `,
      );
      expect(text.stderr).toMatch(/ s ago: "SELECT \* FROM hot WHERE id <> 42 OR '…' = '…'"\)\./);
      expect(text.stderr).not.toMatch(/hunter2/);
      expect(text.stderr).toMatch(/Nothing of 0001_add_column was kept/);
      expect(text.stderr).toMatch(
        new RegExp(`End or wait for that session \\(\`SELECT pg_terminate_backend\\(${pid}\\)\``),
      );

      const json = await runCli([...args, '--json'], db.env);
      expect(json.code).toBe(1);
      const { error } = JSON.parse(json.stdout);
      expect(error.code).toBe('lock-timeout');
      expect(error.message).toContain(`Blocked by pid ${pid} (application "report-job"`);
      expect(error.hint).toMatch(/End or wait for that session/);

      await reader.query('ROLLBACK');
      expect((await runCli(['migrate', '--migrations', dir], db.env)).code).toBe(0);
    },
    workBudget({ cliRuns: 4 }),
  );

  it(
    'succeeds once the session holding the lock ends between attempts',
    async () => {
      const dir = await migrated(
        [
          { tag: '0000_hot', sql: 'CREATE TABLE hot (id int)' },
          { tag: '0001_add_column', sql: 'ALTER TABLE hot ADD COLUMN note text' },
        ],
        '0000_hot',
      );
      const reader = await connect('report-job');
      await reader.query('BEGIN');
      await reader.query('SELECT * FROM hot');
      const run = startMigrate([
        '--migrations',
        dir,
        '--lock-timeout',
        '50',
        '--lock-retries',
        '10',
      ]);
      await until(
        () => /lock_timeout in 0001_add_column: trying again in/.test(run.result.stdout),
        'the first attempt failed',
      );
      await reader.query('COMMIT');
      const done = await run.done;
      expect(done.stderr).toBe('');
      expect(done.code).toBe(0);
      const [column] = await db.sql<{ name: string }>(
        `select column_name as name from information_schema.columns where table_name = 'hot' and column_name = 'note'`,
      );
      expect(column?.name).toBe('note');
    },
    workBudget({ cliRuns: 3 }),
  );

  it(
    'lets a concurrent index build wait for older writers past the lock timeout, holding back no write',
    async () => {
      const dir = await migrated(
        [
          { tag: '0000_t', sql: 'CREATE TABLE t (id int)' },
          { tag: '0001_index', sql: 'CREATE INDEX CONCURRENTLY t_id_idx ON t (id)' },
        ],
        '0000_t',
      );
      const writer = await connect('long-writer');
      await writer.query('BEGIN');
      await writer.query('INSERT INTO t VALUES (1)');
      const run = startMigrate([
        '--migrations',
        dir,
        '--lock-timeout',
        '50',
        '--lock-retries',
        '0',
      ]);
      let ended = false;
      void run.done.then(() => {
        ended = true;
      });
      // Waiting for six lock timeouts proves no lock_timeout cut the build short.
      await until(async () => {
        if (ended)
          throw new Error(`the run ended while the writer was open:\n${run.result.stderr}`);
        const waiting = await db.sql(
          `select 1 from pg_stat_activity where datname = current_database()
              and query like 'CREATE INDEX CONCURRENTLY%' and wait_event_type = 'Lock'
              and clock_timestamp() - query_start > interval '300 ms'`,
        );
        return waiting.length > 0;
      }, 'the build waited for the writer past the lock timeout');
      const other = await connect('other-writer');
      await other.query(`SET lock_timeout = '100ms'`);
      await other.query('INSERT INTO t VALUES (2)');
      await writer.query('COMMIT');
      const done = await run.done;
      expect(done.stderr).toBe('');
      expect(done.code).toBe(0);
      const [index] = await db.sql<{ valid: boolean }>(
        `select indisvalid as valid from pg_index where indexrelid = 't_id_idx'::regclass`,
      );
      expect(index?.valid).toBe(true);
    },
    workBudget({ cliRuns: 3 }),
  );

  it(
    'names the holder for a rollback too, through the table of the index it drops',
    async () => {
      const dir = folder(
        { tag: '0000_hot', sql: 'CREATE TABLE hot (id int)' },
        { tag: '0001_index', sql: 'CREATE INDEX hot_id ON hot (id)', down: 'DROP INDEX hot_id' },
      );
      expect((await runCli(['migrate', '--migrations', dir], db.env)).code).toBe(0);
      const reader = await connect('dashboard');
      const [{ pid }] = (await reader.query('select pg_backend_pid() as pid')).rows;
      await reader.query('BEGIN');
      await reader.query('SELECT count(*) FROM hot');

      const args = ['rollback', '--migrations', dir, '--lock-timeout', '50', '--lock-retries', '0'];
      const result = await runCli(args, db.env);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        // The reader's plan locked the index as well as its table.
        /Rollback of 0001_index could not lock "public"\."hot"( and "public"\."hot_id")? within 50 ms, 1 attempt over /,
      );
      expect(result.stderr).toContain(`Blocked by pid ${pid} (application "dashboard"`);
      expect(result.stderr).toMatch(/0001_index stays applied/);
      await reader.query('COMMIT');
    },
    workBudget({ cliRuns: 2 }),
  );
});

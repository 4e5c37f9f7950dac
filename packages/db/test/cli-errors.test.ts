import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { packageMigrations, runCli } from './support/cli.js';
import {
  createScratchDatabase,
  describeServer,
  type ScratchDatabase,
  serverUrl,
} from './support/databases.js';

/** A copy of a migrations folder whose files a test may break. */
function copyMigrations(): string {
  const dir = mkdtempSync(join(tmpdir(), 'jam-migrations-'));
  mkdirSync(join(dir, 'meta'));
  for (const file of [
    'meta/_journal.json',
    '0000_baseline.sql',
    '0000_baseline.down.sql',
    '0001_jam-001.sql',
    '0001_jam-001.down.sql',
    '0002_api-tokens.sql',
    '0002_api-tokens.down.sql',
    '0003_mentorship_pair_unique.sql',
    '0003_mentorship_pair_unique.down.sql',
  ]) {
    writeFileSync(join(dir, file), readFileSync(join(packageMigrations, file)));
  }
  return dir;
}

describe('jam-db usage errors exit 2 with the usage line', () => {
  it.each([
    [['frobnicate'], /Unknown command "frobnicate"/],
    [['migrate', '--frob'], /Unknown option '--frob'/],
    [['migrate', 'extra'], /positional argument/],
    [['rollback', '--steps', 'two'], /--steps takes a whole number of at least 1, not "two"/],
    [['rollback', '--steps', '0'], /--steps takes a whole number of at least 1/],
    [
      ['rollback', '--steps', '1', '--to', '0000_baseline'],
      /--steps and --to cannot be used together/,
    ],
    [
      ['migrate', '--lock-timeout', 'soon'],
      /--lock-timeout takes a whole number from 1 to 2147483647, not "soon"/,
    ],
    [
      ['migrate', '--lock-retries', 'many'],
      /--lock-retries takes a whole number from 0 to 20, not "many"/,
    ],
    [
      ['status', '--connect-timeout', '0'],
      /--connect-timeout takes a whole number from 1 to 2147483/,
    ],
    [['rollback', '--allow-out-of-order'], /Unknown option '--allow-out-of-order'/],
  ])('%j', async (args, message) => {
    const result = await runCli(args, { DATABASE_URL: 'pglite:memory' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/usage: jam-db/);
    expect(result.stdout).toBe('');
  });

  it('answers a --json usage error with the error document on stdout', async () => {
    const result = await runCli(['--json'], { DATABASE_URL: 'pglite:memory' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Expected a command before --json/);
    expect(JSON.parse(result.stdout).error).toMatchObject({
      code: 'usage',
      message: 'Expected a command before --json.',
      hint: expect.stringMatching(/^usage: jam-db <command>/),
    });
  });

  it('prints help with exit 0', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/usage: jam-db <command>/);
    expect(result.stdout).toMatch(/rollback \[--steps <n> \| --to <tag>\]/);
  });
});

describe('jam-db failures exit 1 with one clear paragraph', () => {
  it('rejects a DATABASE_URL it cannot use', async () => {
    const result = await runCli(['status'], { DATABASE_URL: 'mysql://root:hunter2@localhost/db' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/scheme "mysql:"/);
    expect(result.stderr).not.toContain('hunter2');
  });

  it('refuses to accept an edit of a migration that did not change', async () => {
    const result = await runCli(['migrate', '--accept-changed', '0000_baseline'], {
      DATABASE_URL: 'pglite:memory',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /--accept-changed 0000_baseline: that migration is not applied with a different file/,
    );
  });

  it('rejects a JAM_DB_LOCK_TIMEOUT that is not a number', async () => {
    const result = await runCli(['migrate'], {
      DATABASE_URL: 'pglite:memory',
      JAM_DB_LOCK_TIMEOUT: '5s',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /JAM_DB_LOCK_TIMEOUT is "5s"; it takes a whole number from 1 to 2147483647/,
    );
  });

  it('rejects an unknown JAM_DB_DRIVER', async () => {
    const result = await runCli(['status'], { JAM_DB_DRIVER: 'oracle' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/JAM_DB_DRIVER is "oracle"/);
  });

  it('names a refused connection without printing the password', async () => {
    const result = await runCli(['status'], {
      DATABASE_URL: 'postgres://jam:s3cret-pw@127.0.0.1:1/jam',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /Could not connect to PostgreSQL at postgres:\/\/jam:\*\*\*@127\.0\.0\.1:1\/jam: the connection was refused/,
    );
    expect(result.stderr).not.toContain('s3cret-pw');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('names a folder that is not a migrations folder', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'jam-empty-'));
    const result = await runCli(['status', '--migrations', empty], {
      DATABASE_URL: 'pglite:memory',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${empty} is not a drizzle-kit migrations folder`);
  });

  it('resolves a relative --migrations against the directory the command ran in', async () => {
    const dir = copyMigrations();
    const result = await runCli(
      ['status', '--json', '--migrations', '.'],
      { DATABASE_URL: 'pglite:memory' },
      { cwd: dir },
    );
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout).pending).toHaveLength(4);
  });

  it('names a journal entry whose SQL file is missing', async () => {
    const dir = copyMigrations();
    const journal = JSON.parse(readFileSync(join(dir, 'meta/_journal.json'), 'utf8'));
    journal.entries.push({
      idx: 3,
      version: '7',
      when: Date.now(),
      tag: '0003_ghost',
      breakpoints: true,
    });
    writeFileSync(join(dir, 'meta/_journal.json'), JSON.stringify(journal));
    const result = await runCli(['migrate', '--migrations', dir], {
      DATABASE_URL: 'pglite:memory',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /lists migration 0003_ghost, but .*0003_ghost\.sql does not exist/,
    );
  });

  it('names a journal that is not JSON', async () => {
    const dir = copyMigrations();
    writeFileSync(join(dir, 'meta/_journal.json'), '<<<<<<< HEAD\n{');
    const result = await runCli(['status', '--migrations', dir], { DATABASE_URL: 'pglite:memory' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/_journal\.json is not valid JSON/);
  });

  it('names an unknown --to tag and lists the known ones', async () => {
    const result = await runCli(['migrate', '--to', '0009_nope'], {
      DATABASE_URL: 'pglite:memory',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--to 0009_nope: no migration with that tag/);
    expect(result.stderr).toMatch(
      /Known tags: 0000_baseline, 0001_jam-001, 0002_api-tokens, 0003_mentorship_pair_unique/,
    );
  });
});

describe('a failing migration', () => {
  let db: ScratchDatabase;
  beforeEach(async () => {
    db = await createScratchDatabase('pglite');
  });
  afterEach(async () => {
    await db.drop();
  });

  it('names its file, statement and line, and leaves nothing of the run behind', async () => {
    const dir = copyMigrations();
    const path = join(dir, '0001_jam-001.sql');
    writeFileSync(
      path,
      readFileSync(path, 'utf8').replace('ADD COLUMN "website" text', 'ADD COLUMN "website" textt'),
    );
    const result = await runCli(['migrate', '--migrations', dir], db.env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /Migration 0001_jam-001 failed at statement 9 \(line 23 of .*0001_jam-001\.sql\): ALTER TABLE "projects" ADD COLUMN "website" textt/,
    );
    expect(result.stderr).toMatch(
      /The database said: type "textt" does not exist \(SQLSTATE 42704\)/,
    );
    expect(result.stderr).toMatch(
      /Rolled back: 0000_baseline, 0001_jam-001\. They ran in one transaction/,
    );
    expect(result.stderr).toMatch(/Not started: 0002_api-tokens, 0003_mentorship_pair_unique\./);
    expect(await db.sql(`SELECT to_regclass('public.users')::text AS t`)).toEqual([{ t: null }]);
  });

  it('refuses a down script that is missing or marked manual', async () => {
    const dir = copyMigrations();
    expect(
      (await runCli(['migrate', '--migrations', dir, '--to', '0001_jam-001'], db.env)).code,
    ).toBe(0);
    writeFileSync(join(dir, '0001_jam-001.down.sql'), '-- jam-db:manual\n');
    const manual = await runCli(['rollback', '--migrations', dir, '--allow-data-loss'], db.env);
    expect(manual.code).toBe(1);
    expect(manual.stderr).toMatch(/marked "-- jam-db:manual"/);
    writeFileSync(join(dir, '0001_jam-001.down.sql'), '');
    const { unlinkSync } = await import('node:fs');
    unlinkSync(join(dir, '0001_jam-001.down.sql'));
    const missing = await runCli(['rollback', '--migrations', dir], db.env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/Migration 0001_jam-001 has no down script/);
  });

  it('prints the SQL of a dry run and changes nothing', async () => {
    const result = await runCli(['migrate', '--dry-run'], db.env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/-- 0000_baseline\nCREATE TABLE "programs"/);
    expect(result.stdout).toMatch(/nothing was changed/);
    const status = await runCli(['status', '--json'], db.env);
    expect(JSON.parse(status.stdout).pending).toHaveLength(4);
  });
});

/** A scratch PGlite folder whose lock names a live process that holds it for `purpose`. */
async function holdFolder(purpose: string) {
  const db = await createScratchDatabase('pglite');
  const { spawn } = await import('node:child_process');
  const holder = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
  writeFileSync(
    `${(db.target as { dataDir: string }).dataDir}.lock`,
    JSON.stringify({
      pid: holder.pid,
      host: (await import('node:os')).hostname(),
      purpose,
      since: '2026-01-01T00:00:00Z',
    }),
  );
  return { db, holder };
}

describe('the PGlite folder', () => {
  it('tells a second process who holds it instead of corrupting it', async () => {
    const { db, holder } = await holdFolder('pnpm dev');
    try {
      // A server holds the folder until stopped: no point waiting for it.
      const result = await runCli(['status'], db.env);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        new RegExp(`is in use by process ${holder.pid} \\(pnpm dev, since 2026-01-01T00:00:00Z\\)`),
      );
      expect(result.stderr).toMatch(/Only one process may open a PGlite folder at a time/);
    } finally {
      holder.kill();
      await db.drop();
    }
  });

  it('waits for a jam-db command that holds it, up to JAM_DB_LOCK_WAIT', async () => {
    const { db, holder } = await holdFolder('jam-db migrate');
    try {
      const result = await runCli(['status'], { ...db.env, JAM_DB_LOCK_WAIT: '1' });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /\(jam-db migrate, since 2026-01-01T00:00:00Z\); waited 1s for it/,
      );
    } finally {
      holder.kill();
      await db.drop();
    }
  });

  it('takes over the lock of a process that died', async () => {
    const db = await createScratchDatabase('pglite');
    const lockPath = `${(db.target as { dataDir: string }).dataDir}.lock`;
    writeFileSync(
      lockPath,
      JSON.stringify({
        pid: 2 ** 22 + 1,
        host: (await import('node:os')).hostname(),
        purpose: 'jam-db migrate',
        since: '2026-01-01T00:00:00Z',
      }),
    );
    const result = await runCli(['migrate'], db.env);
    expect(result.code).toBe(0);
    await db.drop();
  });
});

describeServer('PostgreSQL connection details', () => {
  it('never prints the password of a URL whose database does not exist', async () => {
    const url = new URL(serverUrl!);
    url.password = 'pa55-word';
    url.pathname = '/jam_does_not_exist';
    const result = await runCli(['status'], { DATABASE_URL: url.toString() });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/jam_does_not_exist/);
    expect(result.stderr).not.toContain('pa55-word');
  });
});

import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { scratchDatabaseName } from '@jam/testing/names';
import { workBudget } from '@jam/testing/work-budget';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runApiToExit, startApi } from './support/api-process.js';
import { tokenOf } from './support/requests.js';

const jamDbBin = join(
  dirname(createRequire(import.meta.url).resolve('@jam/db/package.json')),
  'bin',
  'jam-db.js',
);

/** Runs `jam-db` as a user would; resolves with its exit code and output. */
function jamDb(args: string[], env: Record<string, string>) {
  const { DATABASE_URL, INIT_CWD, ...rest } = process.env;
  const child = spawn(process.execPath, [jamDbBin, ...args], {
    env: { ...rest, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
}

describe('the API server on PGlite', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'jam-api-server-'));
    env = { DATABASE_URL: `pglite:${join(dir, 'data')}` };
    // An initialised, empty cluster (the run's template) spares the server an initdb.
    const empty = process.env.JAM_TEST_PGLITE_EMPTY;
    if (empty) cpSync(empty, join(dir, 'data'), { recursive: true });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses to start on a database that lacks migrations, saying to run pnpm db:migrate', async () => {
    const { code, output } = await runApiToExit(env);
    expect(code).toBe(1);
    expect(output).toMatch(
      /@jam\/api cannot start: PGlite at .* lacks 4 migration\(s\) this code expects \(0000_baseline, 0001_jam-001, 0002_api-tokens, 0003_mentorship_pair_unique\)\. Run `pnpm db:migrate`/,
    );
    expect(output).not.toMatch(/\n\s+at /);
  });

  it('refuses a CORS_ALLOWED_ORIGINS entry that is not an origin, naming it', async () => {
    const { code, output } = await runApiToExit({
      ...env,
      CORS_ALLOWED_ORIGINS: 'https://jam.example,jam.example/app',
    });
    expect(code).toBe(2);
    expect(output).toMatch(
      /CORS_ALLOWED_ORIGINS holds "jam\.example\/app", which is not an origin/,
    );
    expect(output).not.toMatch(/\n\s+at /);
  });

  it(
    'serves a migrated database, owns its folder while running and lets go on SIGTERM',
    async () => {
      expect((await jamDb(['migrate'], env)).code).toBe(0);
      expect((await jamDb(['seed'], env)).code).toBe(0);
      const api = await startApi(env);
      try {
        const health = await fetch(`${api.url}/health`);
        expect(await health.json()).toEqual({ status: 'ok' });
        const me = await fetch(`${api.url}/me`, {
          headers: { authorization: `Bearer ${tokenOf('linus')}` },
        });
        expect(((await me.json()) as { name: string }).name).toBe('Linus Participant');

        // While the server holds the folder, the CLI says who holds it instead of opening it.
        const started = Date.now();
        const blocked = await jamDb(['seed'], env);
        expect(blocked.code).toBe(1);
        expect(blocked.stderr).toMatch(
          new RegExp(
            `is in use by process ${api.pid} \\(@jam/api, since .*\\)[\\s\\S]*Stop that process, e\\.g\\. \`pnpm dev\``,
          ),
        );
        // It did not wait for the folder: no longer than one CLI run takes here, with headroom.
        expect(Date.now() - started).toBeLessThan(workBudget({ cliRuns: 1 }));

        // Request lines name method, path and status; never the token.
        expect(api.output()).toMatch(/GET \/me 200 \d+ms/);
        expect(api.output()).not.toContain(tokenOf('linus'));
      } finally {
        expect(await api.stop()).toBe(0);
      }
      expect(existsSync(`${join(dir, 'data')}.lock`)).toBe(false);
    },
    workBudget({ cliRuns: 5 }),
  ); // migrate, seed, the server, a refused seed, shutdown
});

const postgresUrl = process.env.TEST_DATABASE_URL;
describe.skipIf(!postgresUrl)(
  postgresUrl
    ? 'the API server on PostgreSQL'
    : 'the API server on PostgreSQL (skipped: TEST_DATABASE_URL unset)',
  () => {
    const name = scratchDatabaseName('api_server');
    const admin = async (statement: string) => {
      const client = new pg.Client({ connectionString: postgresUrl });
      await client.connect();
      await client.query(statement);
      await client.end();
    };
    beforeAll(() => admin(`CREATE DATABASE "${name}"`));
    afterAll(() => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));

    it('refuses an unmigrated database without printing the password', async () => {
      const url = new URL(postgresUrl!);
      url.pathname = `/${name}`;
      // The local server trusts its users, so any password connects; it must not show up anywhere.
      url.password = 'hunter2-not-shown';
      const { code, output } = await runApiToExit({ DATABASE_URL: url.toString() });
      expect(code).toBe(1);
      expect(output).toMatch(/lacks 4 migration\(s\)[\s\S]*pnpm db:migrate/);
      expect(output).toContain(':***@');
      expect(output).not.toContain('hunter2');
    });
  },
);

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { runPidOfDatabase, scratchDatabaseName } from '../src/names.js';
import { openRunFolder, removeRunFolder } from '../src/run-folder.js';
import { sweepServerDatabases } from '../src/server-databases.js';
import { workBudget } from '../src/work-budget.js';

/** The pid of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(child.stdout);
}

describe('run folders', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'run-folders-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('removes the folders of runs that ended without cleaning up, and keeps those of live runs', () => {
    const abandoned = join(tmp, 'jam-test-runs', String(deadPid()));
    const live = join(tmp, 'jam-test-runs', String(process.ppid));
    for (const folder of [abandoned, live]) {
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, 'left-behind'), 'x');
    }
    const own = openRunFolder(process.pid, tmp);
    expect(own).toBe(join(tmp, 'jam-test-runs', String(process.pid)));
    expect(existsSync(abandoned)).toBe(false);
    expect(existsSync(join(live, 'left-behind'))).toBe(true);
    removeRunFolder(own);
    expect(existsSync(own)).toBe(false);
  });

  it('removes the shared parent folder with the last run folder, never while another run holds one', () => {
    const root = join(tmp, 'jam-test-runs');
    const other = join(root, String(process.ppid));
    mkdirSync(other, { recursive: true });
    removeRunFolder(openRunFolder(process.pid, tmp));
    expect(existsSync(other)).toBe(true);
    rmSync(other, { recursive: true, force: true });
    removeRunFolder(openRunFolder(process.pid, tmp));
    expect(existsSync(root)).toBe(false);
  });
});

describe('scratch database names', () => {
  it('carry the run pid, and only names of that shape are recognised', () => {
    process.env.JAM_TEST_RUN_PID = '4242';
    const name = scratchDatabaseName('api_server');
    delete process.env.JAM_TEST_RUN_PID;
    expect(name).toMatch(/^jam_api_server_r4242_[0-9a-f]{10}$/);
    expect(runPidOfDatabase(name)).toBe(4242);
    expect(runPidOfDatabase('jam_verify_r77_abcdef0123')).toBe(77);
    expect(runPidOfDatabase('jam')).toBeUndefined();
    expect(runPidOfDatabase('jam_production')).toBeUndefined();
    expect(() => scratchDatabaseName('Robert"; DROP')).toThrow(/bad database purpose/);
  });
});

const serverUrl = process.env.TEST_DATABASE_URL;
describe.skipIf(!serverUrl)(
  serverUrl
    ? 'sweeping test databases on PostgreSQL'
    : 'sweeping test databases on PostgreSQL (skipped: TEST_DATABASE_URL unset)',
  () => {
    const admin = async (sql: string) => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        return (await client.query(sql)).rows;
      } finally {
        await client.end();
      }
    };
    const exists = async (name: string) =>
      (await admin(`SELECT 1 FROM pg_database WHERE datname = '${name}'`)).length === 1;

    it('drops the databases of dead runs and its own, never those of a live run or anything else', async () => {
      const dead = `jam_test_r${deadPid()}_0a1b2c3d4e`;
      const live = `jam_test_r${process.ppid}_0a1b2c3d4f`;
      const own = `jam_test_r${process.pid}_0a1b2c3d40`;
      const unrelated = `jam_keep_${process.pid}`;
      for (const name of [dead, live, own, unrelated]) await admin(`CREATE DATABASE "${name}"`);
      try {
        const dropped = await sweepServerDatabases(serverUrl!);
        expect(dropped).toContain(dead);
        expect(dropped).not.toContain(live);
        expect(await exists(dead)).toBe(false);
        expect(await exists(own)).toBe(true);

        expect(await sweepServerDatabases(serverUrl!, process.pid)).toContain(own);
        expect(await exists(own)).toBe(false);
        expect(await exists(live)).toBe(true);
        expect(await exists(unrelated)).toBe(true);
      } finally {
        for (const name of [dead, live, own, unrelated]) {
          await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        }
      }
    });
  },
);

describe('work budgets', () => {
  it('grow with the measured price of the work, over a floor', () => {
    const idle = { cliRunMs: 1_000, pgliteOpenMs: 500 };
    const loaded = { cliRunMs: 4_000, pgliteOpenMs: 2_000 };
    expect(workBudget({}, idle)).toBe(15_000);
    expect(workBudget({ cliRuns: 2 }, loaded)).toBeGreaterThan(workBudget({ cliRuns: 2 }, idle));
    expect(workBudget({ cliRuns: 2, pgliteOpens: 2 }, idle)).toBe(15_000 + 3_000 * 6);
    expect(workBudget({ waitSeconds: 4 }, idle)).toBe(15_000 + 8_000);
  });
});

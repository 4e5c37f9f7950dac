import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { bp, writeMigrationsFolder } from './support/folders.js';

/** stdout must be exactly one JSON document holding the error. */
function errorDocument(stdout: string): { code: string; message: string; hint: string | null } {
  const document = JSON.parse(stdout);
  expect(Object.keys(document)).toEqual(['error']);
  expect(Object.keys(document.error)).toEqual(['code', 'message', 'hint']);
  return document.error;
}

describe('--json failures print {"error":{"code","message","hint"}} on stdout', () => {
  it.each([
    [['migrate', '--json', '--frob'], 2, 'usage', /Unknown option '--frob'/],
    [['rollback', '--json', '--steps', '-1'], 2, 'usage', /--steps takes a whole number/],
    [['frobnicate', '--json'], 2, 'usage', /Unknown command "frobnicate"/],
    [['status', '--json', '--connect-timeout', '0'], 2, 'usage', /--connect-timeout takes/],
  ])('%j exits %i with code %s', async (args, exitCode, code, message) => {
    const result = await runCli(args, { DATABASE_URL: 'pglite:memory' });
    expect(result.code).toBe(exitCode);
    const error = errorDocument(result.stdout);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    // The paragraph for people stays on stderr.
    expect(result.stderr).toMatch(message);
  });

  it('for a configuration error', async () => {
    const result = await runCli(['status', '--json'], { JAM_DB_DRIVER: 'oracle' });
    expect(result.code).toBe(1);
    expect(errorDocument(result.stdout)).toMatchObject({
      code: 'config',
      message: expect.stringMatching(/JAM_DB_DRIVER is "oracle"/),
      hint: expect.stringMatching(/Use one of pglite, postgres, neon/),
    });
  });

  it('for a refused connection', async () => {
    const result = await runCli(['migrate', '--json'], {
      DATABASE_URL: 'postgres://jam@127.0.0.1:1/jam',
    });
    expect(result.code).toBe(1);
    expect(errorDocument(result.stdout)).toMatchObject({
      code: 'connection',
      message: expect.stringMatching(
        /Could not connect to PostgreSQL at postgres:\/\/jam@127\.0\.0\.1:1\/jam/,
      ),
    });
  });

  it('for a failing migration, with nothing else on stdout', async () => {
    const dir = writeMigrationsFolder([
      { tag: '0000_ok', sql: 'CREATE TABLE ok (id int)' },
      { tag: '0001_broken', sql: `CREATE TABLE t (id int)${bp}ALTER TABLE t ADD x nosuchtype` },
    ]);
    try {
      const result = await runCli(['migrate', '--json', '--migrations', dir], {
        DATABASE_URL: 'pglite:memory',
      });
      expect(result.code).toBe(1);
      expect(errorDocument(result.stdout)).toMatchObject({
        code: 'migration-failed',
        message: expect.stringMatching(/Migration 0001_broken failed at statement 2/),
        hint: 'Fix the statement and run the command again.',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('for a refused rollback', async () => {
    const result = await runCli(['rollback', '--json', '--to', '0009_nope'], {
      DATABASE_URL: 'pglite:memory',
    });
    expect(result.code).toBe(2);
    expect(errorDocument(result.stdout)).toMatchObject({
      code: 'usage',
      message: expect.stringMatching(/--to 0009_nope: no migration with that tag/),
    });
  });

  it('prints nothing on stdout for the same failure without --json', async () => {
    const result = await runCli(['rollback', '--steps', '-1'], { DATABASE_URL: 'pglite:memory' });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
  });
});

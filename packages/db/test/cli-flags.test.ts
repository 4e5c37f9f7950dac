import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';

describe('numeric flags name themselves and what they take', () => {
  it.each([
    [['rollback', '--steps', '-1'], /--steps takes a whole number of at least 1, not "-1"\./],
    [['rollback', '--steps', 'abc'], /--steps takes a whole number of at least 1, not "abc"\./],
    [['rollback', '--steps', '0'], /--steps takes a whole number of at least 1, not "0"\./],
    [['rollback', '--steps', '1.5'], /--steps takes a whole number of at least 1, not "1\.5"\./],
    [['seed', '--scale', '-5'], /--scale takes a whole number of at least \d+, not "-5"\./],
    [
      ['status', '--lock-wait', '-1'],
      /--lock-wait takes a whole number from 0 to 2147483, not "-1"\./,
    ],
    [
      ['status', '--connect-timeout', '9999999999'],
      /--connect-timeout takes a whole number from 1 to 2147483, not "9999999999"\./,
    ],
    [
      ['migrate', '--lock-timeout', '-100'],
      /--lock-timeout takes a whole number from 1 to 2147483647/,
    ],
    [
      ['migrate', '--lock-retries', '50'],
      /--lock-retries takes a whole number from 0 to 20, not "50"\./,
    ],
    [['rollback', '--steps'], /--steps needs a value\./],
    [
      ['rollback', '--steps', '--dry-run'],
      /--steps needs a value, but is followed by another option\./,
    ],
    [['rollback', '--dry-run=yes'], /--dry-run takes no value\./],
  ])('%j is a usage error', async (args, message) => {
    const result = await runCli(args, { DATABASE_URL: 'pglite:memory' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/ambiguous/);
    expect(result.stderr).toMatch(/usage: jam-db/);
  });

  it('names an environment variable out of range', async () => {
    const result = await runCli(['status'], {
      DATABASE_URL: 'pglite:memory',
      JAM_DB_CONNECT_TIMEOUT: '99999999',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /JAM_DB_CONNECT_TIMEOUT is "99999999"; it takes a whole number from 1 to 2147483\./,
    );
  });
});

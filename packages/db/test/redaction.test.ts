import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { describeServer, serverUrl, useScratchDatabase } from './support/databases.js';

/** Each in a form a driver or a URL parser could echo: raw, and percent-encoded. */
const querySecret = 'qs-S3cret!';
const authoritySecret = 'au-S3cret';

const withSecrets = (url: string): string => {
  const parsed = new URL(url);
  parsed.password = authoritySecret;
  parsed.searchParams.set('password', querySecret);
  parsed.searchParams.set('sslpassword', 'ssl-S3cret');
  return parsed.toString();
};

function expectNoSecret(result: { stdout: string; stderr: string }): void {
  for (const secret of [
    querySecret,
    encodeURIComponent(querySecret),
    authoritySecret,
    'ssl-S3cret',
  ]) {
    expect(result.stdout).not.toContain(secret);
    expect(result.stderr).not.toContain(secret);
  }
}

const commands = [['migrate'], ['status'], ['seed'], ['rollback', '--dry-run']];

describe('a URL with credentials in its query string is never printed in clear', () => {
  it.each(commands)('%s --verbose against an unreachable server', async (...command) => {
    const result = await runCli([...command, '--verbose'], {
      DATABASE_URL: withSecrets('postgres://jam@127.0.0.1:1/jam'),
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /Could not connect to PostgreSQL at postgres:\/\/jam:\*\*\*@127\.0\.0\.1:1\/jam\?password=\*\*\*&sslpassword=\*\*\*/,
    );
    expectNoSecret(result);
  });

  it('nor in the JSON error document', async () => {
    const result = await runCli(['status', '--json', '--verbose'], {
      DATABASE_URL: withSecrets('postgres://jam@127.0.0.1:1/jam'),
    });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).error.code).toBe('connection');
    expectNoSecret(result);
  });

  it('nor when the URL is refused before connecting', async () => {
    const result = await runCli(['status', '--verbose'], {
      DATABASE_URL: `mysql://root:${authoritySecret}@localhost/db?password=${querySecret}`,
    });
    expect(result.code).toBe(1);
    expectNoSecret(result);
  });
});

describeServer('credentials on a real server', () => {
  const db = useScratchDatabase('postgres');

  it.each(commands)('%s --verbose on a database that does not exist', async (...command) => {
    const url = new URL(serverUrl!);
    url.pathname = '/jam_no_such_database';
    const result = await runCli([...command, '--verbose'], { DATABASE_URL: withSecrets(`${url}`) });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/jam_no_such_database/);
    expectNoSecret(result);
  });

  it('migrate, status, seed and rollback --verbose succeed without printing them', async () => {
    const env = { DATABASE_URL: withSecrets(db.env.DATABASE_URL!) };
    for (const command of [
      ['migrate'],
      ['status'],
      ['seed'],
      ['rollback', '--allow-data-loss'],
      ['migrate', '--dry-run'],
    ]) {
      const result = await runCli([...command, '--verbose'], env);
      expect(result.code, `${command.join(' ')}: ${result.stderr}`).toBe(0);
      expect(`${result.stdout}${result.stderr}`).toMatch(/password=\*\*\*/);
      expectNoSecret(result);
    }
  });
});

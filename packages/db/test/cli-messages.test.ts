import { spawn } from 'node:child_process';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { binPath, runCli } from './support/cli.js';
import { useScratchDatabase } from './support/databases.js';

describe('rollback --dry-run previews without --allow-data-loss', () => {
  const db = useScratchDatabase('pglite');

  it('lists the scripts, marks the ones that lose data, and says the real run needs the flag', async () => {
    // Up to the two newest migrations whose down scripts lose data.
    expect((await runCli(['migrate', '--to', '0002_api-tokens'], db.env)).code).toBe(0);
    const preview = await runCli(['rollback', '--dry-run', '--steps', '2'], db.env);
    expect(preview.stderr).toBe('');
    expect(preview.code).toBe(0);
    expect(preview.stdout).toMatch(
      /-- 0002_api-tokens\.down\.sql {2}\(data loss: drops the api_tokens table[^\n]*\)\n[\s\S]*?\nDROP TABLE "api_tokens";/,
    );
    expect(preview.stdout).toMatch(
      /-- 0001_jam-001\.down\.sql {2}\(data loss: drops the mentorships table/,
    );
    expect(preview.stdout).toMatch(
      /Dry run: 2 migration\(s\) would be rolled back; nothing was changed\.\n0002_api-tokens, 0001_jam-001 lose data: the real run needs --allow-data-loss\./,
    );

    const json = await runCli(['rollback', '--dry-run', '--json'], db.env);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).wouldRollBack).toMatchObject([
      { tag: '0002_api-tokens', dataLoss: true },
    ]);

    const status = await runCli(['status', '--json'], db.env);
    expect(JSON.parse(status.stdout).applied).toHaveLength(3);
    // The real run still refuses.
    const real = await runCli(['rollback'], db.env);
    expect(real.code).toBe(1);
    expect(real.stderr).toMatch(/Rolling back 0002_api-tokens loses data/);
  });
});

/** Runs jam-db with its stdout closed by the reader before it writes, like `jam-db … | head -0`. */
function runWithClosedStdout(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binPath, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('a reader that closes stdout early', () => {
  const db = useScratchDatabase('pglite');

  it.each([[['migrate', '--dry-run']], [['--help']]])(
    'ends %j quietly with its usual exit code',
    async (args) => {
      const result = await runWithClosedStdout(args, db.env);
      expect(result.stderr).not.toMatch(/EPIPE|\n\s+at /);
      expect(result.code).toBe(0);
    },
  );
});

describe('a reader that closes stdout early, on a migrated database', () => {
  const db = useScratchDatabase('pglite', { migrated: true });

  it('lets seed finish its writes and close the database', async () => {
    const result = await runWithClosedStdout(['seed'], db.env);
    expect(result.stderr).not.toMatch(/EPIPE|\n\s+at /);
    expect(result.code).toBe(0);
    const [row] = await db.sql<{ users: number }>('SELECT count(*)::int AS users FROM users');
    const users = row?.users ?? 0;
    expect(users).toBeGreaterThan(0);
  });
});

describe('a seed the database refuses', () => {
  const db = useScratchDatabase('pglite', { migrated: true });

  it('names the database and the reason, and writes nothing', async () => {
    await db.sql(`ALTER TABLE users ADD CONSTRAINT no_seed_users CHECK (email NOT LIKE '%@%')`);
    const result = await runCli(['seed'], db.env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /jam-db: Seeding PGlite at .* failed: new row for relation "users" violates check constraint "no_seed_users" \(SQLSTATE 23514\)\. Nothing was written\.\nFix the cause above and run `pnpm db:seed` again/,
    );
    expect(result.stderr).not.toMatch(/insert into/i);
    const [row] = await db.sql<{ users: number }>('SELECT count(*)::int AS users FROM users');
    const users = row?.users ?? 0;
    expect(users).toBe(0);
  });
});

describe('seed against a server it cannot use', () => {
  it('honours --connect-timeout on a server that never answers, naming the database', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => {
      sockets.push(socket);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const result = await runCli(['seed', '--connect-timeout', '1'], {
        DATABASE_URL: `postgres://jam@127.0.0.1:${port}/jam_seed`,
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        new RegExp(
          `Could not connect to PostgreSQL at postgres://jam@127\\.0\\.0\\.1:${port}/jam_seed: the server did not answer within 1s\\.`,
        ),
      );
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });

  it('names the database when the server refuses', async () => {
    const result = await runCli(['seed'], { DATABASE_URL: 'postgres://jam@127.0.0.1:1/jam_seed' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /Could not connect to PostgreSQL at postgres:\/\/jam@127\.0\.0\.1:1\/jam_seed: the connection was refused/,
    );
    expect(result.stderr).not.toMatch(/unexpected error/);
  });
});

import { execFileSync, spawn } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { workBudget } from '@jam/testing/work-budget';
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { openSession } from '../src/engines/open-session.js';
import { diffSchemaFacts, readSchemaFacts } from '../src/introspect/schema-facts.js';
import type { Target } from '../src/target/target.js';
import { binPath, packageMigrations, runCli } from './support/cli.js';
import {
  createScratchDatabase,
  describeServer,
  type ScratchDatabase,
} from './support/databases.js';
import { workDir } from './support/history-folder.js';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));

/**
 * A copy of the built Jam schema with mentorships.mentor_rating renamed to
 * mentor_score in the SQL (Jam's own schema keeps its names). It lives in the
 * package, so that its imports of drizzle-orm resolve.
 */
function jamSchemaWithRename(): string {
  const dir = workDir('jam-schema-');
  mkdirSync(join(dir, 'schema'));
  cpSync(join(dist, 'schema', 'index.js'), join(dir, 'schema', 'index.js'));
  let renamed = 0;
  for (const file of readdirSync(dist).filter((f) => /^chunk-.*\.js$/.test(f))) {
    const text = readFileSync(join(dist, file), 'utf8');
    const edited = text.replace('integer("mentor_rating")', 'integer("mentor_score")');
    if (edited !== text) renamed += 1;
    writeFileSync(join(dir, file), edited);
  }
  expect(renamed).toBe(1);
  return join(dir, 'schema', 'index.js');
}

async function schemaFacts(target: Target) {
  const session = await openSession(target);
  try {
    return await readSchemaFacts(session);
  } finally {
    await session.close();
  }
}

/** Jam's migrations in a folder of their own, outside the repository (generate writes no changeset stub into it). */
function jamMigrations(): string {
  const dir = mkdtempSync(join(tmpdir(), 'jam-walk-'));
  cpSync(packageMigrations, dir, { recursive: true });
  return dir;
}

/** A throwaway repository whose main holds Jam's migrations, and whose branch adds `folder`'s new ones. */
function releaseRepo(folder: string): string {
  const repo = mkdtempSync(join(tmpdir(), 'jam-walk-release-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'test@jam.dev');
  git('config', 'user.name', 'Jam Test');
  writeFileSync(join(repo, 'pnpm-workspace.yaml'), 'packages:\n  - packages/*\n');
  mkdirSync(join(repo, '.changeset'));
  mkdirSync(join(repo, 'packages', 'db', 'src', 'schema'), { recursive: true });
  writeFileSync(
    join(repo, 'packages', 'db', 'package.json'),
    '{ "name": "@jam/db", "version": "1.0.0" }\n',
  );
  cpSync(packageMigrations, join(repo, 'packages', 'db', 'migrations'), { recursive: true });
  git('add', '-A');
  git('commit', '-qm', 'release 1.0.0');
  git('checkout', '-qb', 'rename-rating');
  cpSync(folder, join(repo, 'packages', 'db', 'migrations'), { recursive: true });
  writeFileSync(
    join(repo, '.changeset', 'rename-rating.md'),
    '---\n"@jam/db": major\n---\n\nRename mentor_rating.\n',
  );
  git('add', '-A');
  git('commit', '-qm', 'rename mentor_rating');
  return repo;
}

describeServer('a column rename on a copy of the Jam schema, end to end', () => {
  const cleanup: (() => Promise<unknown> | unknown)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });
  const database = async (): Promise<ScratchDatabase> => {
    const db = await createScratchDatabase('postgres');
    cleanup.push(() => db.drop());
    return db;
  };

  it(
    'generate, expand under an old client, a killed backfill resumed, contract held back, release-check, contract',
    async () => {
      const schema = jamSchemaWithRename();
      const [phased, plain] = [jamMigrations(), jamMigrations()];
      cleanup.push(() => [phased, plain].map((d) => rmSync(d, { recursive: true, force: true })));
      const [db, plainDb] = await Promise.all([database(), database()]);
      expect((await runCli(['migrate', '--migrations', phased], db.env)).code).toBe(0);
      const rows = 40_000;
      await db.sql(
        `INSERT INTO users (email, name) SELECT 'u' || i || '@jam.test', 'User ' || i FROM generate_series(1, 300) i`,
      );
      await db.sql(
        `WITH u AS (SELECT id, row_number() OVER (ORDER BY email) AS n FROM users)
         INSERT INTO mentorships (mentor_id, participant_id, mentor_rating)
         SELECT a.id, b.id, 1 + ((a.n + b.n) % 5)::int FROM u a JOIN u b ON a.n < b.n LIMIT ${rows}`,
      );

      const rename = [
        '--rename',
        'mentorships.mentor_rating:mentor_score',
        '--name',
        'mentor_score',
      ];
      const generated = await runCli([
        'generate',
        '--migrations',
        phased,
        '--schema',
        schema,
        ...rename,
      ]);
      expect(generated.stderr).toBe('');
      expect(generated.stdout).toMatch(/Wrote .*0004_mentor_score_expand\.sql/);
      expect(generated.stdout).toMatch(
        /Wrote .*0005_mentor_score_contract\.sql \(contract of 0004_mentor_score_expand\)/,
      );

      // The old code keeps writing through mentor_rating while the expand runs.
      const oldClient = new pg.Client({ connectionString: db.env.DATABASE_URL });
      await oldClient.connect();
      cleanup.push(() => oldClient.end());
      const pairs = await db.sql<{ m: string; p: string }>(
        'SELECT participant_id AS m, mentor_id AS p FROM mentorships LIMIT 5000',
      );
      let written = 0;
      let writing = true;
      const writer = (async () => {
        while (writing && written < pairs.length) {
          const pair = pairs[written]!;
          await oldClient.query(
            `INSERT INTO mentorships (mentor_id, participant_id, status, mentor_rating) VALUES ($1, $2, 'paused', 2)`,
            [pair.m, pair.p],
          );
          written += 1;
          await sleep(2);
        }
      })();

      const progress = async () =>
        (
          await db.sql<{ batches: number | null }>(
            `SELECT (SELECT (backfill->>'batches')::int FROM drizzle.__jam_progress WHERE tag = '0004_mentor_score_expand') AS batches`,
          )
        )[0]?.batches ?? 0;
      const { DATABASE_URL, JAM_DB_DIRECT_URL, JAM_DB_DRIVER, ...rest } = process.env;
      const child = spawn(process.execPath, [binPath, 'migrate', '--migrations', phased], {
        env: { ...rest, ...db.env },
        stdio: 'ignore',
      });
      const exited = new Promise((resolve) => child.on('exit', resolve));
      const deadline = Date.now() + workBudget({ cliRuns: 2 });
      while ((await progress()) < 2) {
        if (Date.now() > deadline) throw new Error('gave up waiting for two backfill batches');
        await sleep(20);
      }
      child.kill('SIGKILL');
      await exited;
      const killedAt = await progress();
      expect(killedAt).toBeLessThan(rows / 1000);

      const resumed = await runCli(['migrate', '--migrations', phased], db.env);
      expect(resumed.stderr).toBe('');
      expect(resumed.stdout).toMatch(/continuing after/);
      expect(resumed.stdout).toMatch(/ran {6}0004_mentor_score_expand/);
      expect(resumed.stdout).toMatch(
        /Held back 0005_mentor_score_contract \(contract of 0004_mentor_score_expand\)/,
      );
      writing = false;
      await writer;
      expect(written).toBeGreaterThan(0);

      // Both names read every row, and the new code writes through mentor_score.
      await db.sql(
        `INSERT INTO mentorships (mentor_id, participant_id, status, mentor_score) VALUES ($1, $2, 'completed', 4)`,
        [pairs[pairs.length - 1]!.m, pairs[pairs.length - 1]!.p],
      );
      const [state] = await db.sql<{ total: number; unsynced: number; old: number; fresh: number }>(
        `SELECT count(*)::int AS total,
                count(*) FILTER (WHERE mentor_score IS DISTINCT FROM mentor_rating)::int AS unsynced,
                count(*) FILTER (WHERE status = 'paused' AND mentor_score = 2)::int AS old,
                count(*) FILTER (WHERE status = 'completed' AND mentor_rating = 4)::int AS fresh
         FROM mentorships`,
      );
      expect(state).toEqual({ total: rows + written + 1, unsynced: 0, old: written, fresh: 1 });

      const repo = releaseRepo(phased);
      cleanup.push(() => rmSync(repo, { recursive: true, force: true }));
      const release = await runCli(['release-check', '--since', 'main'], {}, { cwd: repo });
      expect(release.code).toBe(1);
      expect(release.stderr + release.stdout).toMatch(
        /0005_mentor_score_contract contracts 0004_mentor_score_expand, and both are new since main[\s\S]*different releases/,
      );

      const contract = await runCli(['migrate', '--contract', '--migrations', phased], db.env);
      expect(contract.stderr).toBe('');
      expect(contract.stdout).toMatch(/ran {6}0005_mentor_score_contract/);
      const [after] = await db.sql<{ total: number }>(
        'SELECT count(*)::int AS total FROM mentorships',
      );
      expect(after?.total).toBe(rows + written + 1);

      expect(
        (
          await runCli([
            'generate',
            '--migrations',
            plain,
            '--schema',
            schema,
            ...rename,
            '--plain',
          ])
        ).code,
      ).toBe(0);
      expect((await runCli(['migrate', '--migrations', plain], plainDb.env)).code).toBe(0);
      expect(
        diffSchemaFacts(await schemaFacts(plainDb.target), await schemaFacts(db.target)),
      ).toEqual([]);
    },
    workBudget({ cliRuns: 9, waitSeconds: 5 }),
  );
});

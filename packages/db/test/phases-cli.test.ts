import { workBudget } from '@jam/testing/work-budget';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { describeServer, useScratchDatabase } from './support/databases.js';
import { bp, type FixtureMigration, useMigrationsFolders } from './support/folders.js';

const folder = useMigrationsFolders();

/** A column rename in two phases: add full_name (expand), drop name (contract); then an unrelated migration. */
const renameInPhases: FixtureMigration[] = [
  {
    tag: '0000_users',
    sql: 'CREATE TABLE users (id int PRIMARY KEY, name text)',
    down: '-- jam-db:data-loss\n-- loses data: drops table "users".\nDROP TABLE users',
  },
  {
    tag: '0001_expand_name',
    sql: `-- jam-db:phase expand\nALTER TABLE users ADD COLUMN full_name text${bp}UPDATE users SET full_name = name`,
    down: '-- jam-db:data-loss\n-- loses data: drops column "full_name".\nALTER TABLE users DROP COLUMN full_name',
  },
  {
    tag: '0002_drop_name',
    sql: '-- jam-db:phase contract 0001_expand_name\n-- jam-db:allow drop-column the code reads full_name since 0001_expand_name\nALTER TABLE users DROP COLUMN name',
    down: `ALTER TABLE users ADD COLUMN name text${bp}UPDATE users SET name = full_name`,
  },
  {
    tag: '0003_bio',
    sql: 'ALTER TABLE users ADD COLUMN bio text',
    down: '-- jam-db:data-loss\n-- loses data: drops column "bio".\nALTER TABLE users DROP COLUMN bio',
  },
];

const heldBackLines =
  /Held back 0002_drop_name \(contract of 0001_expand_name\): run `pnpm db:migrate --contract` once every app instance runs the new code\.\nHeld back 0003_bio too: it comes after 0002_drop_name, and migrations apply in order\.\n/;

describe('migrate and status with expand / contract phases on PGlite', () => {
  const db = useScratchDatabase('pglite');
  const columns = async () =>
    (
      await db.sql<{ column_name: string }>(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'users' ORDER BY ordinal_position",
      )
    ).map((c) => c.column_name);

  it('applies contract migrations by default: local development deploys code and schema together', async () => {
    const migrations = ['--migrations', folder(...renameInPhases)];
    const migrate = await runCli(['migrate', ...migrations], db.env);
    expect(migrate.code).toBe(0);
    expect(migrate.stdout).toMatch(/\nApplied 4 migration\(s\) in /);
    expect(migrate.stdout).not.toMatch(/Held back/);
    expect(await columns()).toEqual(['id', 'full_name', 'bio']);
  });

  it(
    'holds contracts back with JAM_DB_APPLY_CONTRACT=0, lists them in status, and applies them with --contract',
    async () => {
      const migrations = ['--migrations', folder(...renameInPhases)];
      const env = { ...db.env, JAM_DB_APPLY_CONTRACT: '0' };

      const preview = await runCli(['migrate', '--dry-run', ...migrations], env);
      expect(preview.code).toBe(0);
      expect(preview.stdout).toMatch(/-- 0001_expand_name\n/);
      expect(preview.stdout).not.toMatch(/-- 0002_drop_name/);
      expect(preview.stdout).toMatch(
        new RegExp(
          `Dry run: 2 migration\\(s\\) would be applied; nothing was changed\\.\\n${heldBackLines.source}$`,
        ),
      );

      const migrate = await runCli(['migrate', ...migrations], env);
      expect(migrate.code).toBe(0);
      expect(migrate.stdout).toMatch(
        new RegExp(`\\nApplied 2 migration\\(s\\) in .*\\n${heldBackLines.source}$`),
      );
      expect(await columns()).toEqual(['id', 'name', 'full_name']);

      const again = await runCli(['migrate', '--json', ...migrations], env);
      expect(again.code).toBe(0);
      expect(JSON.parse(again.stdout)).toMatchObject({
        applied: [],
        heldBack: [
          { tag: '0002_drop_name', contracts: '0001_expand_name' },
          { tag: '0003_bio', contracts: null },
        ],
      });

      const status = await runCli(['status', ...migrations], env);
      expect(status.code).toBe(3);
      expect(status.stdout).toMatch(
        /\n {2}pending {3}0002_drop_name\n {2}pending {3}0003_bio\n[\s\S]*\nExpanded, not contracted:\n {2}0001_expand_name {2}contract 0002_drop_name pending: `pnpm db:migrate --contract` applies it once every app instance runs the new code\n$/,
      );
      const statusJson = await runCli(['status', '--json', ...migrations], env);
      expect(statusJson.code).toBe(3);
      expect(JSON.parse(statusJson.stdout)).toMatchObject({
        pending: [{ tag: '0002_drop_name' }, { tag: '0003_bio' }],
        expanded: [{ tag: '0001_expand_name', contract: '0002_drop_name' }],
      });

      const past = await runCli(['migrate', '--to', '0003_bio', ...migrations], env);
      expect(past.code).toBe(2);
      expect(past.stderr).toMatch(
        /--to 0003_bio goes past 0002_drop_name, the contract of 0001_expand_name, which migrate holds back until every app instance runs the new code\.\nAdd --contract once no running code uses what 0002_drop_name removes\./,
      );

      const contract = await runCli(['migrate', '--contract', ...migrations], env);
      expect(contract.code).toBe(0);
      expect(contract.stdout).toMatch(/\nApplied 2 migration\(s\) in /);
      expect(contract.stdout).not.toMatch(/Held back/);
      expect(await columns()).toEqual(['id', 'full_name', 'bio']);

      const done = await runCli(['status', '--json', ...migrations], env);
      expect(done.code).toBe(0);
      expect(JSON.parse(done.stdout)).toMatchObject({ pending: [], expanded: [] });
    },
    workBudget({ cliRuns: 9 }),
  );

  it('refuses a bad phase line before applying anything, and lint reports it', async () => {
    const [users, expand, contract] = renameInPhases;
    const migrations = [
      '--migrations',
      folder(users!, expand!, {
        ...contract!,
        sql: contract!.sql.replace(' 0001_expand_name\n', ' 0001_expand\n'),
      }),
    ];
    const migrate = await runCli(['migrate', ...migrations], db.env);
    expect(migrate.code).toBe(1);
    expect(migrate.stderr).toMatch(
      /0002_drop_name has a -- jam-db:phase line jam-db cannot act on \(line 1 of \S*0002_drop_name\.sql\): 0002_drop_name contracts 0001_expand, which is not a migration of this folder\. Nothing was applied\.\nName the expand migration by its full tag\. Earlier expand migrations: 0001_expand_name\./,
    );
    expect(await db.sql("SELECT to_regclass('users') AS t")).toEqual([{ t: null }]);

    const lint = await runCli(['lint', '--json', ...migrations], db.env);
    expect(lint.code).toBe(1);
    expect(JSON.parse(lint.stdout).migrations[2]).toMatchObject({
      tag: '0002_drop_name',
      phase: null,
      findings: [
        {
          rule: 'phase-directive',
          severity: 'error',
          location: expect.stringMatching(/^line 1 of /),
        },
      ],
    });
  });

  it('names a JAM_DB_APPLY_CONTRACT it does not understand', async () => {
    const result = await runCli(['migrate', '--json', '--migrations', folder(...renameInPhases)], {
      ...db.env,
      JAM_DB_APPLY_CONTRACT: 'sometimes',
    });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      error: {
        code: 'config',
        message:
          'JAM_DB_APPLY_CONTRACT is "sometimes"; it takes 1 (apply contract migrations) or 0 (hold them back).',
      },
    });
  });

  it(
    'verifies and rolls back a folder with phases like any other',
    async () => {
      const migrations = ['--migrations', folder(...renameInPhases)];
      const verify = await runCli(['verify', ...migrations], db.env);
      expect(verify.stdout).toMatch(/4 migration\(s\) checked .*: 4 exact, 0 manual, 0 wrong/);
      expect(verify.code).toBe(0);

      expect((await runCli(['migrate', ...migrations], db.env)).code).toBe(0);
      const rollback = await runCli(
        ['rollback', '--steps', '2', '--allow-data-loss', ...migrations],
        db.env,
      );
      expect(rollback.code).toBe(0);
      expect(rollback.stdout).toMatch(/reverted 0003_bio[\s\S]*reverted 0002_drop_name/);
      expect(await columns()).toEqual(['id', 'full_name', 'name']);
    },
    workBudget({ cliRuns: 8 }),
  );
});

describeServer('migrate with expand / contract phases on PostgreSQL', () => {
  const db = useScratchDatabase('postgres');

  it('holds contract migrations back by default and applies them with --contract', async () => {
    const migrations = ['--migrations', folder(...renameInPhases)];
    const migrate = await runCli(['migrate', ...migrations], db.env);
    expect(migrate.code).toBe(0);
    expect(migrate.stdout).toMatch(
      new RegExp(`\\nApplied 2 migration\\(s\\) in .*\\n${heldBackLines.source}$`),
    );
    const contract = await runCli(['migrate', '--contract', ...migrations], db.env);
    expect(contract.code).toBe(0);
    expect(contract.stdout).toMatch(/\nApplied 2 migration\(s\) in /);
    expect(await db.sql('SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations')).toEqual([
      { n: 4 },
    ]);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { workBudget } from '@jam/testing/work-budget';
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../src/cli/args.js';
import { generate } from '../src/cli/commands/generate.js';
import { lint } from '../src/cli/commands/lint.js';
import { runCli } from './support/cli.js';
import { useScratchDatabase } from './support/databases.js';
import { bp, useMigrationsFolders } from './support/folders.js';

const base = [
  'CREATE TABLE "users" ("id" uuid PRIMARY KEY, "email" text, "name" text, "age" int);',
  'CREATE TABLE "posts" ("id" int PRIMARY KEY, "user_id" uuid, "title" text);',
  'CREATE INDEX "posts_title_idx" ON "posts" ("title");',
].join(bp);

/** Already applied when the test runs `lint --fix`: its plain CREATE INDEX must stay. */
const appliedIndex = 'CREATE INDEX "users_email_idx" ON "users" USING btree ("email");';

/** drizzle-kit's statements for a change to tables that may hold rows. */
const pending = [
  'ALTER TABLE "posts" ADD CONSTRAINT "posts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;',
  'ALTER TABLE "users" ADD CONSTRAINT "users_age_check" CHECK ("users"."age" >= 0);',
  'ALTER TABLE "posts" ALTER COLUMN "title" SET NOT NULL;',
  'ALTER TABLE "users" ADD CONSTRAINT "users_name_unique" UNIQUE("name");',
  'CREATE INDEX "users_name_idx" ON "users" USING btree ("name");',
  'DROP INDEX "posts_title_idx";',
].join(bp);

const changes = [
  'FOREIGN KEY → NOT VALID + VALIDATE',
  'CHECK → NOT VALID + VALIDATE',
  'SET NOT NULL → CHECK NOT VALID + VALIDATE + SET NOT NULL + DROP CHECK',
  'UNIQUE → UNIQUE INDEX CONCURRENTLY + UNIQUE USING INDEX',
  'CREATE INDEX → CONCURRENTLY',
  'DROP INDEX → CONCURRENTLY',
];

describe('the flags of lint --fix and generate --plain', () => {
  it('parses --fix, --dry-run and --plain', () => {
    expect(parseCommand(lint, ['--fix', '--dry-run']).values).toMatchObject({
      fix: true,
      'dry-run': true,
    });
    expect(parseCommand(lint, []).values).toMatchObject({ fix: false, 'dry-run': false });
    expect(parseCommand(generate, ['--plain']).values).toMatchObject({ plain: true });
  });
});

describe('jam-db lint --fix', () => {
  const db = useScratchDatabase('pglite');
  const folderOf = useMigrationsFolders();
  const folder = () =>
    folderOf(
      { tag: '0000_base', sql: base },
      { tag: '0001_index', sql: appliedIndex },
      { tag: '0002_online', sql: pending },
    );
  const file = (dir: string, tag: string) => readFileSync(join(dir, `${tag}.sql`), 'utf8');

  it(
    'rewrites the pending migration in place, leaves the applied one and says so by name',
    async () => {
      const dir = folder();
      const migrated = await runCli(['migrate', '--to', '0001_index', '--migrations', dir], db.env);
      expect(migrated.stderr).toBe('');
      const fixed = await runCli(['lint', '--fix', '--migrations', dir], db.env);
      expect(fixed.stderr).toBe('');
      expect(fixed.code).toBe(0);
      expect(fixed.stdout).toContain(
        `0002_online: 6 statement(s) rewritten: ${changes.join('; ')}`,
      );
      expect(fixed.stdout).toMatch(
        /0001_index: applied in PGlite at .*, so left as it is \(its checksum is recorded and migrate would refuse an edited file\); --fix would have made 1 statement\(s\) rewritten: CREATE INDEX → CONCURRENTLY/,
      );
      expect(file(dir, '0001_index')).toBe(appliedIndex);
      const rewritten = file(dir, '0002_online');
      expect(rewritten).toMatch(
        /^-- jam-db:no-transaction\n-- jam-db:online 6 statement\(s\) rewritten so that no lock on a table that may hold rows outlives one short statement\nALTER TABLE "posts" ADD CONSTRAINT "posts_user_id_users_id_fk" FOREIGN KEY .* ON UPDATE no action NOT VALID;\n--> statement-breakpoint\nALTER TABLE "posts" VALIDATE CONSTRAINT "posts_user_id_users_id_fk";/,
      );
      // Lint then runs as usual: only the applied migration's finding is left.
      expect(fixed.stdout).toMatch(/0002_online\s+additive\s+no findings/);
      expect(fixed.stdout).toMatch(/0001_index\s+additive\s+1 finding\(s\)/);

      const again = await runCli(['lint', '--fix', '--migrations', dir], db.env);
      expect(again.stdout).toContain('--fix: no migration that is not applied needed a rewrite.');
      expect(file(dir, '0002_online')).toBe(rewritten);

      const applied = await runCli(['migrate', '--migrations', dir], db.env);
      expect(applied.stderr).toBe('');
      expect(applied.stdout).toMatch(/0002_online .*no transaction/);
      const constraints = await db.sql<{ conname: string; convalidated: boolean }>(
        "SELECT conname, convalidated FROM pg_constraint WHERE conrelid IN ('users'::regclass, 'posts'::regclass) AND contype IN ('c', 'f', 'u') ORDER BY conname",
      );
      expect(constraints).toEqual([
        { conname: 'posts_user_id_users_id_fk', convalidated: true },
        { conname: 'users_age_check', convalidated: true },
        { conname: 'users_name_unique', convalidated: true },
      ]);
      // PostgreSQL 18 (PGlite) names NOT NULL constraints too: the plain form's name, not a `…1` beside the check.
      const leftovers = await db.sql(
        "SELECT conname FROM pg_constraint WHERE conname ~ 'not_null(1|_check)$'",
      );
      expect(leftovers).toEqual([]);
    },
    workBudget({ cliRuns: 4, pgliteOpens: 1 }),
  );

  it(
    'prints the new text with --dry-run and writes nothing',
    async () => {
      const dir = folder();
      const dry = await runCli(['lint', '--fix', '--dry-run', '--migrations', dir], db.env);
      expect(dry.code).toBe(0);
      expect(dry.stdout).toMatch(
        /0001_index: 1 statement\(s\) rewritten: CREATE INDEX → CONCURRENTLY/,
      );
      expect(dry.stdout).toMatch(/--- .*0002_online\.sql as --fix would write it \(not written\):/);
      expect(dry.stdout).toContain(
        'CREATE UNIQUE INDEX CONCURRENTLY "users_name_unique" ON "users" ("name");',
      );
      expect(dry.stdout).toContain(
        'would rewrite 2 migration(s) into their online-safe form (dry run: nothing written)',
      );
      expect(file(dir, '0001_index')).toBe(appliedIndex);
      expect(file(dir, '0002_online')).toBe(pending);
      const json = await runCli(
        ['lint', '--fix', '--dry-run', '--json', '--migrations', dir],
        db.env,
      );
      const document = JSON.parse(json.stdout);
      expect(document.dryRun).toBe(true);
      expect(document.fixed[1].sql).toMatch(
        /^-- jam-db:no-transaction\n-- jam-db:online 6 statement/,
      );
      expect(file(dir, '0002_online')).toBe(pending);
    },
    workBudget({ cliRuns: 2 }),
  );

  it(
    'prints the rewrites in its --json document',
    async () => {
      const dir = folder();
      const result = await runCli(['lint', '--fix', '--json', '--migrations', dir], db.env);
      expect(result.code).toBe(0);
      const document = JSON.parse(result.stdout);
      expect(Object.keys(document)).toEqual([
        'migrations',
        'dryRun',
        'fixed',
        'leftApplied',
        'notRewritten',
        'strays',
      ]);
      expect(document.fixed.map((f: { tag: string }) => f.tag)).toEqual([
        '0001_index',
        '0002_online',
      ]);
      expect(document.fixed[1].rewrites.map((r: { change: string }) => r.change)).toEqual(changes);
      expect(document.fixed[0].rewrites[0]).toEqual({
        rule: 'create-index-without-concurrently',
        statement: appliedIndex.slice(0, -1),
        change: 'CREATE INDEX → CONCURRENTLY',
        into: ['CREATE INDEX CONCURRENTLY "users_email_idx" ON "users" USING btree ("email")'],
      });
      expect(document.migrations.flatMap((m: { findings: unknown[] }) => m.findings)).toEqual([]);
    },
    workBudget({ cliRuns: 1 }),
  );

  it(
    'rewrites a hand-written file and exits 1 on what needs expand/contract',
    async () => {
      const handWritten = `-- add a nickname, index it, widen the age\nALTER TABLE users ADD COLUMN nick text;\nCREATE INDEX users_nick_idx ON users (nick);\nALTER TABLE users ALTER COLUMN age TYPE bigint;\n`;
      const dir = folderOf({ tag: '0000_base', sql: base }, { tag: '0001_hand', sql: handWritten });
      await runCli(['migrate', '--to', '0000_base', '--migrations', dir], db.env);
      const result = await runCli(['lint', '--fix', '--migrations', dir], db.env);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(
        '0001_hand: 1 statement(s) rewritten: CREATE INDEX → CONCURRENTLY',
      );
      expect(result.stdout).toContain(
        '0001_hand: not rewritten: ALTER TABLE users ALTER COLUMN age TYPE bigint (change-column-type): needs expand/contract (issue #12)',
      );
      expect(result.stdout).toMatch(
        /error {3}change-column-type: ALTER TABLE users ALTER COLUMN age TYPE bigint/,
      );
      expect(file(dir, '0001_hand')).toContain(
        '-- add a nickname, index it, widen the age\nALTER TABLE users ADD COLUMN nick text;\nCREATE INDEX CONCURRENTLY users_nick_idx ON users (nick);\nALTER TABLE users ALTER COLUMN age TYPE bigint;\n',
      );
    },
    workBudget({ cliRuns: 2 }),
  );

  it(
    'leaves a migration applied in part as it is',
    async () => {
      const partly = `-- jam-db:no-transaction\nALTER TABLE "users" ADD COLUMN "score" int;${bp}CREATE INDEX "users_score_idx" ON "users" ("score");${bp}SELECT 1 / 0;`;
      const dir = folderOf({ tag: '0000_base', sql: base }, { tag: '0001_partly', sql: partly });
      const failed = await runCli(['migrate', '--migrations', dir], db.env);
      expect(failed.stderr).toMatch(/division by zero/);
      const result = await runCli(['lint', '--fix', '--migrations', dir], db.env);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(
        /0001_partly: applied in part in PGlite at .*, so left as it is .*--fix would have made 1 statement\(s\) rewritten: CREATE INDEX → CONCURRENTLY/,
      );
      expect(file(dir, '0001_partly')).toBe(partly);
    },
    workBudget({ cliRuns: 2 }),
  );

  it('refuses --dry-run without --fix', async () => {
    const result = await runCli(['lint', '--dry-run', '--migrations', folder()]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--dry-run goes with --fix: `jam-db lint --fix --dry-run`\./);
  });

  it(
    'keeps the down scripts valid: verify passes on the rewritten folder',
    async () => {
      const dir = folder();
      expect((await runCli(['generate-down', '--migrations', dir], db.env)).code).toBe(0);
      expect((await runCli(['lint', '--fix', '--migrations', dir], db.env)).code).toBe(0);
      expect(file(dir, '0002_online')).toMatch(/^-- jam-db:no-transaction/);
      const verified = await runCli(['verify', '--migrations', dir], db.env);
      expect(verified.stderr).toBe('');
      expect(verified.code).toBe(0);
      expect(verified.stdout).toMatch(/exact\s+0002_online/);
    },
    // generate-down and verify build scratch PGlite databases beside their CLI runs.
    workBudget({ cliRuns: 3, pgliteOpens: 8 }),
  );
});

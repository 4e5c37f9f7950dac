import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readMigrationFolder } from '../src/drizzle-kit/migration-folder.js';
import { lintFolder } from '../src/lint/lint-folder.js';
import { runCli } from './support/cli.js';
import { bp, writeMigrationsFolder } from './support/folders.js';

/** A folder whose first migration creates the tables the second one changes (they may hold rows then). */
const existing = `CREATE TABLE users (id uuid PRIMARY KEY, email text, name text, age int)${bp}CREATE INDEX users_email_idx ON users (email)${bp}CREATE TYPE mood AS ENUM ('ok')`;

async function lintSecond(sql: string) {
  const dir = writeMigrationsFolder([
    { tag: '0000_existing', sql: existing },
    { tag: '0001_change', sql },
  ]);
  const [, second] = await lintFolder(readMigrationFolder(dir));
  return second!;
}

const rulesOf = (lint: Awaited<ReturnType<typeof lintSecond>>) => lint.findings.map((f) => f.rule);

describe('jam-db lint rules', () => {
  it.each([
    ['drop-column', 'ALTER TABLE users DROP COLUMN name', 'breaking'],
    ['drop-table', 'DROP TABLE users', 'breaking'],
    ['truncate', 'TRUNCATE users', 'breaking'],
    ['change-column-type', 'ALTER TABLE users ALTER COLUMN age TYPE bigint', 'breaking'],
    ['rename-column', 'ALTER TABLE users RENAME COLUMN name TO full_name', 'breaking'],
    ['rename-table', 'ALTER TABLE users RENAME TO people', 'breaking'],
    ['rename-table', 'ALTER TABLE users SET SCHEMA archive', 'breaking'],
    ['rename-schema', 'ALTER SCHEMA public RENAME TO app', 'breaking'],
    ['rename-enum-value', "ALTER TYPE mood RENAME VALUE 'ok' TO 'fine'", 'breaking'],
    ['drop-type', 'DROP TYPE mood', 'breaking'],
    [
      'add-not-null-column-without-default',
      'ALTER TABLE users ADD COLUMN plan text NOT NULL',
      'additive',
    ],
    ['set-not-null', 'ALTER TABLE users ALTER COLUMN email SET NOT NULL', 'additive'],
    [
      'add-foreign-key-without-not-valid',
      'ALTER TABLE users ADD CONSTRAINT users_self_fk FOREIGN KEY (id) REFERENCES users (id)',
      'additive',
    ],
    [
      'add-check-without-not-valid',
      'ALTER TABLE users ADD CONSTRAINT users_age_check CHECK (age >= 0)',
      'additive',
    ],
    [
      'add-unique-constraint',
      'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email)',
      'additive',
    ],
    [
      'create-index-without-concurrently',
      'CREATE INDEX users_name_idx ON users (name)',
      'additive',
    ],
    ['drop-index-without-concurrently', 'DROP INDEX users_email_idx', 'additive'],
    [
      'volatile-default',
      'ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid()',
      'additive',
    ],
    [
      'concurrently-in-transaction',
      'CREATE INDEX /* online */ CONCURRENTLY users_name_idx ON users (name)',
      'additive',
    ],
    [
      'commit-in-migration',
      `ALTER TABLE users ADD COLUMN bio text;\nCOMMIT;\nCREATE INDEX CONCURRENTLY users_bio_idx ON users (bio)`,
      'additive',
    ],
    [
      'rollback-in-migration',
      `BEGIN${bp}ALTER TABLE users ADD COLUMN bio text${bp}ROLLBACK`,
      'additive',
    ],
    [
      'identifier-too-long',
      `ALTER TABLE users ADD COLUMN ${'x'.repeat(63)}_a text${bp}ALTER TABLE users ADD COLUMN ${'x'.repeat(63)}_b text`,
      'additive',
    ],
    ['syntax-error', 'ALTER TABEL users ADD COLUMN oops text', 'additive'],
  ])('flags %s', async (rule, sql, classification) => {
    const lint = await lintSecond(sql);
    expect(rulesOf(lint)).toContain(rule);
    expect(lint.classification).toBe(classification);
    const finding = lint.findings.find((f) => f.rule === rule)!;
    expect(finding.explanation.length).toBeGreaterThan(10);
    expect(finding.alternative.length).toBeGreaterThan(10);
  });

  it.each([
    [
      'a new table with its indexes and keys',
      `CREATE TABLE posts (id int PRIMARY KEY, user_id uuid NOT NULL REFERENCES users (id), title text NOT NULL UNIQUE)${bp}CREATE INDEX posts_user_idx ON posts (user_id)${bp}ALTER TABLE posts ADD CONSTRAINT posts_title_check CHECK (title <> '')`,
    ],
    ['a nullable column', 'ALTER TABLE users ADD COLUMN bio text'],
    [
      'a NOT NULL column with a constant default',
      "ALTER TABLE users ADD COLUMN plan text NOT NULL DEFAULT 'free'",
    ],
    ['a now() default', 'ALTER TABLE users ADD COLUMN seen_at timestamp DEFAULT now()'],
    ['ADD VALUE to an enum', "ALTER TYPE mood ADD VALUE 'great'"],
    [
      'NOT VALID constraints and their validation',
      `ALTER TABLE users ADD CONSTRAINT users_age_check CHECK (age >= 0) NOT VALID${bp}ALTER TABLE users VALIDATE CONSTRAINT users_age_check`,
    ],
    [
      'a concurrent index build on its own',
      'CREATE INDEX CONCURRENTLY users_name_idx ON users (name)',
    ],
    [
      'a concurrent index build beside other statements (the runner runs it alone)',
      `ALTER TABLE users ADD COLUMN note text${bp}CREATE INDEX CONCURRENTLY users_note_idx ON users (note)`,
    ],
    [
      'a long name dropped, then another cut to the same 63 bytes',
      `ALTER TABLE users ADD CONSTRAINT ${'x'.repeat(63)}_a CHECK (age > 0) NOT VALID${bp}ALTER TABLE users DROP CONSTRAINT ${'x'.repeat(63)}_a${bp}ALTER TABLE users ADD CONSTRAINT ${'x'.repeat(63)}_b CHECK (age > 0) NOT VALID`,
    ],
    [
      'one long name, however often it is used',
      `ALTER TABLE users ADD COLUMN ${'x'.repeat(64)} text${bp}ALTER TABLE users DROP COLUMN ${'x'.repeat(64)}`,
    ],
    [
      'dropping a column added in the same migration',
      `ALTER TABLE users ADD COLUMN tmp text${bp}ALTER TABLE users DROP COLUMN tmp`,
    ],
  ])('has no findings for %s', async (_what, sql) => {
    const lint = await lintSecond(sql);
    expect(lint.findings).toEqual([]);
    expect(lint.classification).toBe('additive');
  });

  it('lets a migration silence one rule with a reason, and not without one', async () => {
    const silenced = await lintSecond(
      '-- jam-db:allow drop-column nothing reads it since release 4.2\nALTER TABLE users DROP COLUMN name',
    );
    expect(silenced.findings).toEqual([]);
    expect(silenced.classification).toBe('additive');
    expect(silenced.allowed).toMatchObject([
      { rule: 'drop-column', reason: 'nothing reads it since release 4.2' },
    ]);

    const bare = await lintSecond(
      '-- jam-db:allow drop-column\nALTER TABLE users DROP COLUMN name',
    );
    expect(rulesOf(bare).sort()).toEqual(['allow-without-reason', 'drop-column']);
  });
});

/** Lints a folder of these migrations, in order, and returns the rules found in the last one. */
async function rulesOfLast(...migrations: string[]) {
  const dir = writeMigrationsFolder(migrations.map((sql, i) => ({ tag: `000${i}_step`, sql })));
  try {
    const results = await lintFolder(readMigrationFolder(dir));
    return results.at(-1)!.findings.map((f) => f.rule);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('jam-db lint follows renames and moves', () => {
  it.each([
    [
      'a table renamed in the same migration',
      [
        existing,
        `ALTER TABLE users RENAME TO people${bp}ALTER TABLE people ADD COLUMN plan text NOT NULL`,
      ],
    ],
    [
      'a table renamed by an earlier migration',
      [
        existing,
        'ALTER TABLE users RENAME TO people',
        'ALTER TABLE people ADD COLUMN plan text NOT NULL',
      ],
    ],
    [
      'a table whose schema was renamed',
      [
        `CREATE SCHEMA app${bp}CREATE TABLE app.accounts (id int)`,
        'ALTER SCHEMA app RENAME TO core',
        'ALTER TABLE core.accounts ADD COLUMN plan text NOT NULL',
      ],
    ],
    [
      'a table moved to another schema',
      [
        `CREATE SCHEMA core${bp}CREATE TABLE accounts (id int)`,
        `ALTER TABLE accounts SET SCHEMA core${bp}ALTER TABLE core.accounts ADD COLUMN plan text NOT NULL`,
      ],
    ],
    [
      'a table "created" again with IF NOT EXISTS',
      [
        existing,
        `CREATE TABLE IF NOT EXISTS users (id uuid)${bp}ALTER TABLE users ADD COLUMN plan text NOT NULL`,
      ],
    ],
  ])('knows %s still holds rows', async (_what, migrations) => {
    expect(await rulesOfLast(...migrations)).toContain('add-not-null-column-without-default');
  });

  it('treats a table dropped and created again in one migration as new', async () => {
    expect(
      await rulesOfLast(
        existing,
        `DROP TABLE users${bp}CREATE TABLE users (id uuid)${bp}ALTER TABLE users ADD COLUMN plan text NOT NULL`,
      ),
    ).toEqual(['drop-table']);
  });

  it('flags SET NOT NULL on a column the migration just added to a table with rows', async () => {
    expect(
      await rulesOfLast(
        existing,
        `ALTER TABLE users ADD COLUMN plan text${bp}UPDATE users SET plan = 'free'${bp}ALTER TABLE users ALTER COLUMN plan SET NOT NULL`,
      ),
    ).toEqual(['set-not-null']);
  });

  it('knows an index that already exists makes CREATE INDEX IF NOT EXISTS do nothing', async () => {
    expect(
      await rulesOfLast(existing, 'CREATE INDEX IF NOT EXISTS users_email_idx ON users (email)'),
    ).toEqual([]);
    expect(
      await rulesOfLast(existing, 'CREATE INDEX IF NOT EXISTS users_age_idx ON users (age)'),
    ).toEqual(['create-index-without-concurrently']);
  });

  it('counts a serial, identity or generated column as filled for every row, by a rewrite', async () => {
    for (const column of [
      'n serial NOT NULL',
      'n bigint GENERATED ALWAYS AS IDENTITY',
      'n int GENERATED ALWAYS AS (age * 2) STORED NOT NULL',
    ]) {
      expect(await rulesOfLast(existing, `ALTER TABLE users ADD COLUMN ${column}`)).toEqual([
        'volatile-default',
      ]);
    }
  });
});

describe('jam-db lint of column type changes', () => {
  const items =
    'CREATE TABLE items (code varchar(20), price numeric(10, 2), seen timestamp(3), tags varchar(20)[], note text, net cidr, n int)';

  it.each([
    ['varchar(n) → text', 'ALTER TABLE items ALTER COLUMN code SET DATA TYPE text'],
    ['varchar(n) → varchar(m), m > n', 'ALTER TABLE items ALTER COLUMN code TYPE varchar(200)'],
    ['varchar(n) → varchar', 'ALTER TABLE items ALTER COLUMN code TYPE character varying'],
    ['text → varchar', 'ALTER TABLE items ALTER COLUMN note TYPE varchar'],
    [
      'numeric(p, s) → numeric(q, s), q > p',
      'ALTER TABLE items ALTER COLUMN price TYPE numeric(14, 2)',
    ],
    ['numeric(p, s) → numeric', 'ALTER TABLE items ALTER COLUMN price TYPE decimal'],
    ['timestamp(3) → timestamp', 'ALTER TABLE items ALTER COLUMN seen TYPE timestamp'],
    ['cidr → inet', 'ALTER TABLE items ALTER COLUMN net TYPE inet'],
    [
      'a USING that only casts the column',
      'ALTER TABLE items ALTER COLUMN code TYPE text USING code::text',
    ],
    ['a type name spelled another way', 'ALTER TABLE items ALTER COLUMN n TYPE integer'],
  ])('has no finding for %s (no rewrite, same values)', async (_what, sql) => {
    expect(await rulesOfLast(items, sql)).toEqual([]);
  });

  it.each([
    ['varchar(n) → varchar(m), m < n', 'ALTER TABLE items ALTER COLUMN code TYPE varchar(10)'],
    ['text → varchar(n)', 'ALTER TABLE items ALTER COLUMN note TYPE varchar(10)'],
    [
      'numeric(p, s) → numeric(q, t), t ≠ s',
      'ALTER TABLE items ALTER COLUMN price TYPE numeric(14, 4)',
    ],
    ['int → bigint', 'ALTER TABLE items ALTER COLUMN n TYPE bigint'],
    ['timestamp → timestamptz', 'ALTER TABLE items ALTER COLUMN seen TYPE timestamptz'],
    ['varchar(n)[] → text[]', 'ALTER TABLE items ALTER COLUMN tags TYPE text[]'],
    ['a USING that computes', 'ALTER TABLE items ALTER COLUMN code TYPE text USING upper(code)'],
  ])('flags %s', async (_what, sql) => {
    expect(await rulesOfLast(items, sql)).toEqual(['change-column-type']);
  });

  it('follows the type through a rename and an earlier change', async () => {
    expect(
      await rulesOfLast(
        items,
        `ALTER TABLE items RENAME COLUMN code TO sku${bp}ALTER TABLE items ALTER COLUMN sku TYPE varchar(50)`,
        'ALTER TABLE items ALTER COLUMN sku TYPE varchar(40)',
      ),
    ).toEqual(['change-column-type']);
  });
});

describe('jam-db lint of transactions, as the runner runs the migration', () => {
  it('has no CONCURRENTLY finding after the file’s own COMMIT, nor inside its BEGIN … COMMIT', async () => {
    const afterCommit = await rulesOfLast(
      existing,
      `BEGIN;\nALTER TABLE users ADD COLUMN bio text;\nCOMMIT;\nCREATE INDEX CONCURRENTLY users_bio_idx ON users (bio);\nCREATE INDEX CONCURRENTLY users_age_idx ON users (age)`,
    );
    expect(afterCommit).toEqual(['commit-in-migration']);
    const insideBlock = await rulesOfLast(
      existing,
      `BEGIN${bp}CREATE INDEX CONCURRENTLY users_name_idx ON users (name)${bp}COMMIT`,
    );
    expect(insideBlock).toEqual(['commit-in-migration']);
  });

  it('flags each COMMIT, not the DO blocks whose bodies say BEGIN and END', async () => {
    expect(
      await rulesOfLast(
        existing,
        `DO $$ BEGIN PERFORM 1; END $$${bp}ALTER TYPE mood ADD VALUE 'great';\nCOMMIT;\nALTER TABLE users ADD COLUMN m mood DEFAULT 'great';\nEND;`,
      ),
    ).toEqual(['commit-in-migration', 'commit-in-migration']);
  });

  it('flags a CONCURRENTLY statement the runner would run inside the file’s own block', async () => {
    expect(
      await rulesOfLast(
        existing,
        `-- jam-db:no-transaction\nBEGIN${bp}CREATE INDEX /* online */ CONCURRENTLY users_name_idx ON users (name)${bp}COMMIT`,
      ),
    ).toEqual(['concurrently-in-transaction', 'commit-in-migration']);
  });
});

describe('jam-db lint command', () => {
  it('finds nothing in @jam/db’s own migrations and prints the contract’s JSON', async () => {
    const result = await runCli(['lint', '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.migrations.length).toBeGreaterThanOrEqual(2);
    for (const migration of report.migrations) {
      expect(migration).toMatchObject({
        tag: expect.any(String),
        classification: 'additive',
        findings: [],
      });
    }
  });

  it('exits 1 when a finding is an error, and 0 on warnings alone', async () => {
    const breaking = writeMigrationsFolder([
      { tag: '0000_existing', sql: existing },
      { tag: '0001_drop', sql: 'ALTER TABLE users DROP COLUMN name' },
    ]);
    const failed = await runCli(['lint', '--migrations', breaking]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/0001_drop\s+breaking\s+1 finding/);
    expect(failed.stdout).toMatch(/error {3}drop-column: ALTER TABLE users DROP COLUMN name/);
    expect(failed.stdout).toMatch(/safe alternative: stop using the column/);

    const warned = writeMigrationsFolder([
      { tag: '0000_existing', sql: existing },
      { tag: '0001_index', sql: 'CREATE INDEX users_name_idx ON users (name)' },
    ]);
    const json = await runCli(['lint', '--migrations', warned, '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).migrations[1]).toMatchObject({
      tag: '0001_index',
      classification: 'additive',
      findings: [
        {
          rule: 'create-index-without-concurrently',
          severity: 'warning',
          statement: 'CREATE INDEX users_name_idx ON users (name)',
        },
      ],
    });
  });

  it('fails on a syntax error, naming the parser’s message, the file and the line', async () => {
    const dir = writeMigrationsFolder([
      { tag: '0000_existing', sql: existing },
      {
        tag: '0001_typo',
        sql: `ALTER TABLE users ADD COLUMN bio text${bp}CREATE TABLE posts (\n  id int,\n  title text,,\n  body text\n)`,
      },
    ]);
    try {
      const result = await runCli(['lint', '--migrations', dir]);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(
        /error {3}syntax-error: CREATE TABLE posts .* \(line 5 of .*0001_typo\.sql\)/,
      );
      expect(result.stdout).toMatch(
        /PostgreSQL's parser rejects the statement[^\n]*: syntax error at or near ","/,
      );
      const json = await runCli(['lint', '--migrations', dir, '--json']);
      expect(json.code).toBe(1);
      expect(JSON.parse(json.stdout).migrations[1].findings).toMatchObject([
        { rule: 'syntax-error', severity: 'error', location: expect.stringMatching(/^line 5 of /) },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

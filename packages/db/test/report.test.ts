import { rmSync } from 'node:fs';
import { workBudget } from '@jam/testing/work-budget';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { looksPersonal, looksSecret } from '../src/report/sensitive-columns.js';
import { runCli } from './support/cli.js';
import {
  createScratchDatabase,
  describeServer,
  type ScratchDatabase,
  useScratchDatabase,
} from './support/databases.js';
import { bp, writeMigrationsFolder } from './support/folders.js';

const folder = () =>
  writeMigrationsFolder([
    {
      tag: '0000_users',
      sql: 'CREATE TABLE users (id int PRIMARY KEY, name text)',
      down: '-- jam-db:data-loss\n-- drops users.\nDROP TABLE users',
    },
    {
      tag: '0001_contact',
      sql: `ALTER TABLE users ADD COLUMN email text${bp}CREATE INDEX users_email_idx ON users (email)${bp}ALTER TABLE users DROP COLUMN name`,
    },
  ]);

describe('jam-db report', () => {
  it('fills in the review checklist for @jam/db’s JAM-001', async () => {
    const result = await runCli(['report', '0001_jam-001']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^## Database migration `0001_jam-001`/);
    expect(result.stdout).toMatch(
      /- \[x\] New table\n- \[x\] Schema update\n- \[x\] Relationships/,
    );
    expect(result.stdout).toMatch(/- `public\.mentorships`/);
    expect(result.stdout).toMatch(/Classification: \*\*additive\*\*/);
    expect(result.stdout).toMatch(/- \[x\] Reversible: `0001_jam-001\.down\.sql`/);
    expect(result.stdout).toMatch(
      /\| `CREATE INDEX "mentorships_mentor_id_idx"[^|]*` \| SHARE \(blocks writes\) \|/,
    );
  });

  it('names breaking findings, a missing down script, personal data and locks', async () => {
    const result = await runCli(['report', '0001_contact', '--migrations', folder()]);
    expect(result.stdout).toMatch(/Classification: \*\*breaking\*\*/);
    expect(result.stdout).toMatch(/\*\*error\*\* `drop-column`/);
    expect(result.stdout).toMatch(/- \[ \] Reversible: no down script yet/);
    expect(result.stdout).toMatch(/look like personal data: `public\.users\.email`/);
    expect(result.stdout).toMatch(/\| `ALTER TABLE users DROP COLUMN name` \| ACCESS EXCLUSIVE \|/);
  });

  it('needs a known tag', async () => {
    const missing = await runCli(['report']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/report needs the tag of a migration/);
    const unknown = await runCli(['report', '0009_nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/report 0009_nope: no migration with that tag/);
  });
});

describe('secret and personal columns', () => {
  it('tells secrets from personal data', () => {
    for (const secret of [
      'token_hash',
      'refresh_token',
      'client_secret',
      'password_digest',
      'api_key',
      'apiKey',
      'signing_key',
      'public.api_tokens.token_hash',
    ]) {
      expect([secret, looksSecret(secret), looksPersonal(secret)]).toEqual([secret, true, false]);
    }
    for (const personal of ['email', 'phone_number', 'date_of_birth', 'home_address', 'iban']) {
      expect([personal, looksSecret(personal), looksPersonal(personal)]).toEqual([
        personal,
        false,
        true,
      ]);
    }
    for (const plain of ['name', 'keyboard_layout', 'monkey', 'created_at', 'tokenizer']) {
      expect([plain, looksSecret(plain), looksPersonal(plain)]).toEqual([plain, false, false]);
    }
  });

  it('lists a new token_hash as a secret and an email as personal data', async () => {
    const dir = writeMigrationsFolder([
      { tag: '0000_users', sql: 'CREATE TABLE users (id int PRIMARY KEY)' },
      {
        tag: '0001_tokens',
        sql: `ALTER TABLE users ADD COLUMN email text${bp}CREATE TABLE api_tokens (id int PRIMARY KEY, token_hash text NOT NULL)`,
      },
    ]);
    try {
      const result = await runCli(['report', '0001_tokens', '--migrations', dir]);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(
        /- New columns that look like secrets: `public\.api_tokens\.token_hash`\./,
      );
      expect(result.stdout).toMatch(
        /- New columns that look like personal data: `public\.users\.email`\./,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('jam-db report on a PGlite database that holds rows', () => {
  const db = useScratchDatabase('pglite');

  it(
    'counts rows the planner has no estimate for yet, and bounds the count',
    async () => {
      // Filled in the migration itself and never analyzed: reltuples is still -1.
      const dir = writeMigrationsFolder([
        {
          tag: '0000_tables',
          sql: [
            'CREATE TABLE users (id int PRIMARY KEY)',
            'INSERT INTO users SELECT g FROM generate_series(1, 500) g',
            'CREATE TABLE events (id int)',
            'INSERT INTO events SELECT g FROM generate_series(1, 100010) g',
            'CREATE TABLE empty (id int)',
          ].join(bp),
        },
        {
          tag: '0001_notes',
          sql: ['users', 'events', 'empty']
            .map((t) => `ALTER TABLE ${t} ADD COLUMN note text`)
            .join(bp),
        },
      ]);
      try {
        const migrated = await runCli(
          ['migrate', '--to', '0000_tables', '--migrations', dir],
          db.env,
        );
        expect(migrated.stderr).toBe('');
        expect(migrated.code).toBe(0);
        const result = await runCli(['report', '0001_notes', '--migrations', dir], db.env);
        expect(result.code).toBe(0);
        expect(result.stdout).toMatch(/- `public\.users` \(500 rows\)/);
        expect(result.stdout).toMatch(/- `public\.empty` \(0 rows\)/);
        expect(result.stdout).toMatch(/- `public\.events` \(more than 100,000 rows\)/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      // Two CLI runs on PGlite, one inserting 100,000 rows (about two runs' worth more).
    },
    workBudget({ cliRuns: 4 }),
  );
});

describeServer('jam-db report with DATABASE_URL', () => {
  let db: ScratchDatabase;
  beforeEach(async () => {
    db = await createScratchDatabase('postgres');
  });
  afterEach(async () => {
    await db.drop();
  });

  it('adds row counts of the affected tables', async () => {
    const dir = folder();
    expect(
      (await runCli(['migrate', '--to', '0000_users', '--migrations', dir], db.env)).code,
    ).toBe(0);
    await db.sql(
      'INSERT INTO users SELECT g, g::text FROM generate_series(1, 500) g; ANALYZE users',
    );
    const result = await runCli(['report', '0001_contact', '--migrations', dir], db.env);
    expect(result.stdout).toMatch(/- `public\.users` \(500 rows\)/);
    rmSync(dir, { recursive: true, force: true });
  });

  it('trusts the planner’s estimate for an analyzed table too big to count', async () => {
    const dir = folder();
    expect(
      (await runCli(['migrate', '--to', '0000_users', '--migrations', dir], db.env)).code,
    ).toBe(0);
    await db.sql(
      'INSERT INTO users SELECT g, g::text FROM generate_series(1, 100010) g; ANALYZE users',
    );
    const result = await runCli(['report', '0001_contact', '--migrations', dir], db.env);
    expect(result.stdout).toMatch(/- `public\.users` \(about 1\d{2},\d{3} rows\)/);
    rmSync(dir, { recursive: true, force: true });
  });
});

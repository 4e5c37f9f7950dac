import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import {
  createScratchDatabase,
  describeServer,
  type ScratchDatabase,
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
    expect(result.stdout).toMatch(/look like personal data or secrets: `public\.users\.email`/);
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

describeServer('jam-db report with DATABASE_URL', () => {
  let db: ScratchDatabase;
  beforeEach(async () => {
    db = await createScratchDatabase('postgres');
  });
  afterEach(async () => {
    await db.drop();
  });

  it('adds row estimates of the affected tables', async () => {
    const dir = folder();
    expect(
      (await runCli(['migrate', '--to', '0000_users', '--migrations', dir], db.env)).code,
    ).toBe(0);
    await db.sql(
      'INSERT INTO users SELECT g, g::text FROM generate_series(1, 500) g; ANALYZE users',
    );
    const result = await runCli(['report', '0001_contact', '--migrations', dir], db.env);
    expect(result.stdout).toMatch(/- `public\.users` \(about 500 rows\)/);
  });
});

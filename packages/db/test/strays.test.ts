import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workBudget } from '@jam/testing/work-budget';
import { describe, expect, it } from 'vitest';
import { readMigrationFolder } from '../src/drizzle-kit/migration-folder.js';
import { strayMigrationFiles } from '../src/migrations/strays.js';
import { runCli } from './support/cli.js';
import { corporaPresent, corpusDir } from './support/corpora.js';
import { useScratchDatabase } from './support/databases.js';
import { writeMigrationsFolder } from './support/folders.js';

/** A folder whose journal lists 0000 and 0001; 0002_lost.sql was left out of it by a merge. */
function folderWithStray(): string {
  const dir = writeMigrationsFolder([
    {
      tag: '0000_users',
      sql: 'CREATE TABLE users (id serial PRIMARY KEY);',
      down: 'DROP TABLE users;',
    },
    { tag: '0001_posts', sql: 'CREATE TABLE posts (id serial PRIMARY KEY);' },
  ]);
  writeFileSync(join(dir, '0002_lost.sql'), 'ALTER TABLE users ADD COLUMN name text;');
  writeFileSync(join(dir, 'notes.md'), 'not SQL');
  return dir;
}

const strayLine =
  /jam-db: warning: \S*0002_lost\.sql is not listed in \S*meta\/_journal\.json, so it never runs \(a migration lost in a merge\?\)\. If it should run, add its entry to the journal after the last one, or move its SQL into a new migration; if not, delete the file\.\n/;

describe('.sql files the journal does not list', () => {
  it('are found beside the listed migrations, their down scripts left alone', () => {
    expect(strayMigrationFiles(readMigrationFolder(folderWithStray()))).toEqual(['0002_lost.sql']);
  });

  it.skipIf(!corporaPresent)(
    'include the migration claude-code-hub lost in a merge (skipped without ../shared/corpora)',
    () => {
      const folder = readMigrationFolder(corpusDir('claude-code-hub'));
      expect(strayMigrationFiles(folder)).toEqual(['0048_add_system_timezone.sql']);
    },
  );
});

describe('status, lint and migrate warn about a stray migration file', () => {
  const db = useScratchDatabase('pglite');

  it(
    'on stderr, and as "strays" in their --json documents',
    async () => {
      const dir = folderWithStray();
      const migrations = ['--migrations', dir];

      const migrate = await runCli(['migrate', ...migrations], db.env);
      expect(migrate.code).toBe(0);
      expect(migrate.stderr).toMatch(new RegExp(`^${strayLine.source}$`));
      expect(migrate.stdout).toMatch(/Applied 2 migration\(s\)/);

      const status = await runCli(['status', '--json', ...migrations], db.env);
      expect(status.code).toBe(0);
      expect(status.stderr).toMatch(strayLine);
      const statusDoc = JSON.parse(status.stdout);
      expect(statusDoc.strays).toEqual([{ file: '0002_lost.sql' }]);
      expect(statusDoc.applied.map((a: { tag: string }) => a.tag)).toEqual([
        '0000_users',
        '0001_posts',
      ]);
      expect(statusDoc.pending).toEqual([]);

      const text = await runCli(['status', ...migrations], db.env);
      expect(text.stderr).toMatch(strayLine);
      expect(text.stdout).toMatch(/Up to date\./);

      const lint = await runCli(['lint', '--json', ...migrations]);
      expect(lint.code).toBe(0);
      expect(lint.stderr).toMatch(strayLine);
      const lintDoc = JSON.parse(lint.stdout);
      expect(lintDoc.strays).toEqual([{ file: '0002_lost.sql' }]);
      expect(lintDoc.migrations).toHaveLength(2);
    },
    workBudget({ cliRuns: 4 }),
  );

  it('say nothing when every .sql file is listed', async () => {
    const dir = writeMigrationsFolder([
      {
        tag: '0000_users',
        sql: 'CREATE TABLE users (id serial PRIMARY KEY);',
        down: 'DROP TABLE users;',
      },
    ]);
    const lint = await runCli(['lint', '--json', '--migrations', dir]);
    expect(lint.stderr).toBe('');
    expect(JSON.parse(lint.stdout).strays).toEqual([]);
  });
});

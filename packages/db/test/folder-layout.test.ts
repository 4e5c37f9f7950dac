import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { folderTimestamp } from '../src/drizzle-kit/layout.js';
import { readMigrationFolder } from '../src/drizzle-kit/migration-folder.js';
import type { JamDbError } from '../src/errors.js';
import { generateMigrationFiles } from '../src/generate/generate-migration.js';
import { downScriptName, downScriptPath } from '../src/migrations/down-script.js';
import { strayMigrationFiles, strayWarning } from '../src/migrations/strays.js';
import { runCli } from './support/cli.js';
import { writeMigrationsFolder } from './support/folders.js';
import { thrown } from './support/thrown.js';
import {
  folderMillis,
  v1History,
  v1SampleDir,
  v1SamplePresent,
  writeV1Folder,
} from './support/v1-folder.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('reading drizzle-kit 1.0 folders', () => {
  it.skipIf(!v1SamplePresent)(
    `reads drizzle-kit 1.0's own sample${v1SamplePresent ? '' : ' (skipped: ../shared/drizzle-kit-v1 is absent)'}`,
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'jam-v1-sample-'));
      cpSync(v1SampleDir, dir, { recursive: true });
      const folder = readMigrationFolder(dir);
      expect(folder.layout).toBe('folders');
      expect(folder.migrations.map((m) => m.tag)).toEqual([
        '20261130052952_init',
        '20261130053008_posts',
      ]);
      // The values drizzle-kit migrate 1.0 recorded for this sample.
      expect(folder.migrations.map((m) => m.when)).toEqual([1796016592000, 1796016608000]);
      expect(folder.migrations.map((m) => m.hash)).toEqual([
        '30171b32854b50c74929784ab21e54f9ed55ed2d79ab2b35a84446cd1d9fb120',
        '66bea92fc387708c062063179ba48fe4f903d217af22f1e2173c6376acb6d333',
      ]);
      expect(folder.migrations[1]!.statements).toHaveLength(2);
    },
  );

  it('orders folders by name, times them by their UTC timestamp and hashes migration.sql', () => {
    const dir = writeV1Folder([...v1History].reverse());
    mkdirSync(join(dir, 'notes-without-sql'));
    const folder = readMigrationFolder(dir);
    expect(folder.migrations.map((m) => m.tag)).toEqual(v1History.map((m) => m.tag));
    expect(folder.migrations.map((m) => m.idx)).toEqual([0, 1, 2]);
    expect(folder.migrations.map((m) => m.when)).toEqual(v1History.map((m) => folderMillis(m.tag)));
    expect(folder.migrations[0]!.hash).toBe(sha256(v1History[0]!.sql));
    expect(folder.migrations[0]!.path).toBe(join(dir, v1History[0]!.tag, 'migration.sql'));
  });

  it('puts the down script into the migration folder, and beside <tag>.sql in the 0.x layout', () => {
    const v1 = writeV1Folder();
    const tag = v1History[0]!.tag;
    expect(downScriptPath(v1, tag)).toBe(join(v1, tag, 'down.sql'));
    expect(downScriptName(v1, tag)).toBe(`${tag}/down.sql`);
    const classic = writeMigrationsFolder([{ tag: '0000_init', sql: 'CREATE TABLE a (id int);' }]);
    expect(downScriptPath(classic, '0000_init')).toBe(join(classic, '0000_init.down.sql'));
  });

  it('refuses a migration folder whose name has no timestamp, naming it', () => {
    const dir = writeV1Folder([...v1History, { tag: 'hotfix_index', sql: 'SELECT 1;' }]);
    const error = thrown(() => readMigrationFolder(dir));
    expect(error.code).toBe('migrations-folder');
    expect(error.message).toContain(join(dir, 'hotfix_index'));
    expect(error.message).toContain('YYYYMMDDhhmmss');
    expect(error.hint).toContain('Rename the folder');
  });

  it('takes a timestamp only when it is a real date and time', () => {
    expect(folderTimestamp('20260229120000_x')).toBeNull();
    expect(folderTimestamp('20261301000000_x')).toBeNull();
    expect(folderTimestamp('2026010109_x')).toBeNull();
    expect(folderTimestamp('20240229235959_leap')).toBe(Date.UTC(2024, 1, 29, 23, 59, 59));
  });

  it('says that a folder with neither layout is not a migrations folder, naming both', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jam-v1-empty-'));
    const error = thrown(() => readMigrationFolder(dir));
    expect(error.message).toContain('meta/_journal.json (drizzle-kit 0.x)');
    expect(error.message).toContain('<timestamp>_<name>/migration.sql folder (drizzle-kit 1.0)');
  });

  it('reads the journal when a folder has both, as drizzle-kit 0.x does', () => {
    const dir = writeMigrationsFolder([{ tag: '0000_init', sql: 'CREATE TABLE a (id int);' }]);
    writeV1Folder(v1History, dir);
    const folder = readMigrationFolder(dir);
    expect(folder.layout).toBe('journal');
    expect(folder.migrations.map((m) => m.tag)).toEqual(['0000_init']);
  });

  it('generate refuses a 1.0 folder before writing anything', async () => {
    const dir = writeV1Folder();
    const before = readdirSync(dir).sort();
    const error = await generateMigrationFiles({ dir, schema: {} }).then(
      () => null,
      (e: unknown) => e as JamDbError,
    );
    expect(error?.code).toBe('migrations-folder');
    expect(error?.message).toContain("uses drizzle-kit 1.0's layout");
    expect(error?.hint).toContain('npx drizzle-kit generate');
    expect(readdirSync(dir).sort()).toEqual(before);
    expect(existsSync(join(dir, 'meta'))).toBe(false);
  });

  it('jam-db generate on a 1.0 folder exits 1 with what to do instead', async () => {
    const dir = writeV1Folder();
    const result = await runCli(['generate', '--migrations', dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${dir} uses drizzle-kit 1.0's layout`);
    expect(result.stderr).toContain('pnpm db:generate-down');
    expect(existsSync(join(dir, 'meta'))).toBe(false);
  });
});

describe('stray .sql files in a 1.0 folder', () => {
  it('are the .sql files outside a <folder>/migration.sql, down scripts left alone', () => {
    const dir = writeV1Folder();
    writeFileSync(join(dir, v1History[0]!.tag, 'down.sql'), 'DROP TABLE "members";');
    writeFileSync(join(dir, 'loose.sql'), 'SELECT 1;');
    mkdirSync(join(dir, '20260104090000_typo'));
    writeFileSync(join(dir, '20260104090000_typo', 'migraton.sql'), 'SELECT 1;');
    const folder = readMigrationFolder(dir);
    expect(strayMigrationFiles(folder)).toEqual(['20260104090000_typo/migraton.sql', 'loose.sql']);
    expect(strayWarning(folder, 'loose.sql')).toContain(
      'loose.sql is not the migration.sql of a <timestamp>_<name>/ migration folder, so it never runs.',
    );
  });
});

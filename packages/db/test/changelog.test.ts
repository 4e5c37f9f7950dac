import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeMigrationsFolder } from './support/folders.js';
import { workDir } from './support/history-folder.js';

const require = createRequire(import.meta.url);
const changelogModule = require.resolve('../../../.changeset/changelog.cjs');

describe('the CHANGELOG generator of `pnpm changeset version`', () => {
  it('lists the migrations a release carries, once, with their lint classification and phase', async () => {
    const root = workDir('changelog-');
    const migrations = writeMigrationsFolder([
      { tag: '0000_users', sql: 'CREATE TABLE users (id int PRIMARY KEY, name text)' },
      { tag: '0001_bio', sql: 'ALTER TABLE users ADD COLUMN bio text' },
      {
        tag: '0002_expand_name',
        sql: '-- jam-db:phase expand\nALTER TABLE users ADD COLUMN full_name text',
      },
      {
        tag: '0003_drop_name',
        sql: '-- jam-db:phase contract 0002_expand_name\nALTER TABLE users DROP COLUMN name',
      },
    ]);
    mkdirSync(join(root, 'packages', 'db'), { recursive: true });
    cpSync(migrations, join(root, 'packages', 'db', 'migrations'), { recursive: true });
    writeFileSync(
      join(root, 'packages', 'db', 'CHANGELOG.md'),
      '# @jam/db\n\n## 1.0.0\n\n- Migrations in this release:\n  - `0000_users` (additive)\n',
    );

    delete require.cache[changelogModule];
    const changelog = require(changelogModule);
    expect(changelog.releasedMigrations(root)).toEqual([
      { tag: '0001_bio', classification: 'additive', phase: null },
      { tag: '0002_expand_name', classification: 'additive', phase: 'expand' },
      { tag: '0003_drop_name', classification: 'breaking', phase: 'contract of 0002_expand_name' },
    ]);

    const cwd = process.cwd();
    process.chdir(root);
    try {
      const release = { releases: [{ name: '@jam/db', type: 'major' }] };
      const first = await changelog.default.getReleaseLine({
        ...release,
        summary: 'Drop users.name.',
      });
      const second = await changelog.default.getReleaseLine({
        ...release,
        summary: 'Add users.bio.',
      });
      expect(first).toBe(
        '- Migrations in this release:\n  - `0001_bio` (additive)\n  - `0002_expand_name` (additive, phase: expand)\n  - `0003_drop_name` (breaking, phase: contract of 0002_expand_name)\n- Drop users.name.',
      );
      expect(second).toBe('- Add users.bio.');
    } finally {
      process.chdir(cwd);
    }
  });
});

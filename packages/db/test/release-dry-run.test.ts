import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { workBudget } from '@jam/testing/work-budget';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeMigrationsFolder } from './support/folders.js';

const monorepo = fileURLToPath(new URL('../../../', import.meta.url));
const dryRunModule = join(monorepo, 'tooling', 'release', 'dry-run.mjs');

/**
 * A throwaway monorepo with the real changesets config and CHANGELOG generator,
 * @jam/db 1.0.0 with one migration and a built dist/, linked to the real
 * node_modules for the tools, and an unreleased minor changeset.
 */
function createRepo(): string {
  const repo = mkdtempSync(join(tmpdir(), 'jam-release-dry-run-test-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'test@jam.dev');
  git('config', 'user.name', 'Jam Test');
  writeFileSync(join(repo, '.gitignore'), 'node_modules\ndist/\n.release/\n');
  writeFileSync(join(repo, 'package.json'), '{ "name": "jam-test", "private": true }\n');
  writeFileSync(join(repo, 'pnpm-workspace.yaml'), 'packages:\n  - packages/*\n');
  mkdirSync(join(repo, '.changeset'));
  for (const file of ['config.json', 'changelog.cjs', 'README.md']) {
    copyFileSync(join(monorepo, '.changeset', file), join(repo, '.changeset', file));
  }
  const db = join(repo, 'packages', 'db');
  mkdirSync(join(db, 'dist'), { recursive: true });
  writeFileSync(
    join(db, 'package.json'),
    `${JSON.stringify({ name: '@jam/db', version: '1.0.0', private: true, files: ['dist', 'migrations'] }, null, 2)}\n`,
  );
  writeFileSync(join(db, 'dist', 'index.js'), 'export const built = true;\n');
  writeMigrationsFolder(
    [{ tag: '0000_users', sql: 'CREATE TABLE users (id int PRIMARY KEY, name text)' }],
    join(db, 'migrations'),
  );
  symlinkSync(join(monorepo, 'node_modules'), join(repo, 'node_modules'), 'dir');
  git('add', '-A');
  git('commit', '-qm', 'start');
  // Uncommitted work the dry run must neither lose nor commit.
  writeFileSync(join(repo, '.changeset', 'users.md'), '---\n"@jam/db": minor\n---\n\nUsers.\n');
  writeFileSync(join(repo, 'NOTES.md'), 'work in progress\n');
  return repo;
}

/** Every file of the working tree (node_modules aside) with a hash of its content. */
function snapshot(dir: string, root = dir): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.name === 'node_modules' || entry.name === '.git' || entry.name === '.release')
      continue;
    if (entry.isDirectory()) Object.assign(files, snapshot(path, root));
    else files[relative(root, path)] = createHash('sha1').update(readFileSync(path)).digest('hex');
  }
  return files;
}

describe('pnpm release without NPM_TOKEN (dry run)', () => {
  let repo: string;
  beforeEach(() => {
    repo = createRepo();
  });
  afterEach(() => {
    rmSync(repo, { recursive: true, force: true });
  });

  it(
    'changes nothing in the working tree and packs the next version into .release/',
    async () => {
      const status = () =>
        execFileSync('git', ['status', '--porcelain'], { cwd: repo, encoding: 'utf8' });
      const statusBefore = status();
      const filesBefore = snapshot(repo);

      const { releaseDryRun } = await import(pathToFileURL(dryRunModule).href);
      const result = releaseDryRun(repo, { quiet: true });

      expect(status()).toBe(statusBefore);
      expect(snapshot(repo)).toEqual(filesBefore);
      expect(existsSync(join(repo, '.changeset', 'users.md'))).toBe(true);

      expect(result).toMatchObject({ from: '1.0.0', to: '1.1.0' });
      expect(result.changelog).toMatch(/^## 1\.1\.0/);
      expect(result.changelog).toMatch(/`0000_users` \(additive\)/);
      expect(result.tarball).toBe(join(repo, '.release', 'jam-db-1.1.0.tgz'));
      const packed = execFileSync('tar', ['-xzOf', result.tarball, 'package/package.json'], {
        encoding: 'utf8',
      });
      expect(JSON.parse(packed).version).toBe('1.1.0');
      const listing = execFileSync('tar', ['-tzf', result.tarball], { encoding: 'utf8' });
      expect(listing).toMatch(/package\/dist\/index\.js/);
      expect(listing).toMatch(/package\/migrations\/0000_users\.sql/);
      // Two tool runs (changeset version, which lints the migrations and may first rebuild
      // @jam/db, and pnpm pack): several CLI runs' worth.
    },
    workBudget({ cliRuns: 8 }),
  );
});

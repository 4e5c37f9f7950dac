import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { appendMigration, writeMigrationsFolder } from './support/folders.js';

/** A throwaway monorepo with @jam/db's layout and a main branch holding one released migration. */
function createRepo(): string {
  const repo = mkdtempSync(join(tmpdir(), 'jam-release-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'test@jam.dev');
  git('config', 'user.name', 'Jam Test');
  writeFileSync(join(repo, 'pnpm-workspace.yaml'), 'packages:\n  - packages/*\n');
  mkdirSync(join(repo, '.changeset'));
  writeFileSync(join(repo, '.changeset', 'README.md'), 'changesets\n');
  mkdirSync(join(repo, 'packages', 'db', 'src', 'schema'), { recursive: true });
  writeFileSync(
    join(repo, 'packages', 'db', 'package.json'),
    '{ "name": "@jam/db", "version": "1.0.0" }\n',
  );
  const migrations = writeMigrationsFolder([
    { tag: '0000_users', sql: 'CREATE TABLE users (id int PRIMARY KEY, name text)' },
  ]);
  cpSync(migrations, join(repo, 'packages', 'db', 'migrations'), { recursive: true });
  rmSync(migrations, { recursive: true });
  git('add', '-A');
  git('commit', '-qm', 'release 1.0.0');
  git('checkout', '-qb', 'feature');
  return repo;
}

const commit = (repo: string, message: string) => {
  execFileSync('git', ['add', '-A'], { cwd: repo });
  execFileSync('git', ['commit', '-qm', message], { cwd: repo });
};

const changeset = (repo: string, name: string, bump: string) =>
  writeFileSync(
    join(repo, '.changeset', `${name}.md`),
    `---\n"@jam/db": ${bump}\n---\n\nA change.\n`,
  );

const releaseCheck = (repo: string, ...args: string[]) =>
  runCli(['release-check', '--since', 'main', ...args], {}, { cwd: repo });

describe('release:check', () => {
  let repo: string;
  beforeEach(() => {
    repo = createRepo();
  });
  afterEach(() => {
    rmSync(repo, { recursive: true, force: true });
  });

  it('passes when nothing in @jam/db’s schema or migrations changed', async () => {
    writeFileSync(join(repo, 'README.md'), 'docs only\n');
    commit(repo, 'docs');
    const result = await releaseCheck(repo);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/no change to @jam\/db's schema or migrations since main/);
  });

  it('fails when a migration comes without a changeset', async () => {
    appendMigration(join(repo, 'packages/db/migrations'), {
      tag: '0001_bio',
      sql: 'ALTER TABLE users ADD COLUMN bio text',
      when: Date.now(),
    });
    commit(repo, 'add bio');
    const result = await releaseCheck(repo);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /changed since main \([0-9a-f]{8}\), but no changeset for @jam\/db was added\. Run `pnpm changeset`, pick @jam\/db and a minor bump/,
    );
  });

  it('fails when the bump is smaller than a breaking migration needs, and passes with the right one', async () => {
    appendMigration(join(repo, 'packages/db/migrations'), {
      tag: '0001_drop_name',
      sql: 'ALTER TABLE users DROP COLUMN name',
      when: Date.now(),
    });
    changeset(repo, 'drop-name', 'minor');
    commit(repo, 'drop name');
    const tooSmall = await releaseCheck(repo);
    expect(tooSmall.code).toBe(1);
    expect(tooSmall.stderr).toMatch(
      /give @jam\/db a minor bump, but 0001_drop_name is breaking \(drop-column\), which needs major/,
    );

    changeset(repo, 'drop-name', 'major');
    commit(repo, 'major');
    const right = await releaseCheck(repo, '--json');
    expect(right.code).toBe(0);
    expect(JSON.parse(right.stdout)).toMatchObject({
      ok: true,
      required: 'major',
      given: 'major',
      newMigrations: [{ tag: '0001_drop_name', classification: 'breaking' }],
    });
  });

  it('names only the changeset of the migration that needs a higher bump', async () => {
    const migrations = join(repo, 'packages/db/migrations');
    appendMigration(migrations, {
      tag: '0001_bio',
      sql: 'ALTER TABLE users ADD COLUMN bio text',
      when: Date.now(),
    });
    appendMigration(migrations, {
      tag: '0002_drop_name',
      sql: 'ALTER TABLE users DROP COLUMN name',
      when: Date.now() + 1000,
    });
    changeset(repo, 'migration-0001-bio', 'minor');
    // The stub jam-db generate writes names its migration in the file name and the text.
    writeFileSync(
      join(repo, '.changeset', 'migration-0002-drop-name.md'),
      '---\n"@jam/db": minor\n---\n\nMigration `0002_drop_name`: drops users.name.\n',
    );
    writeFileSync(
      join(repo, '.changeset', 'api-docs.md'),
      '---\n"@jam/api": patch\n---\n\nDocs.\n',
    );
    commit(repo, 'bio, then drop name');
    const result = await releaseCheck(repo);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /give @jam\/db a minor bump, but 0002_drop_name is breaking \(drop-column\), which needs major\. Change the bump in \.changeset\/migration-0002-drop-name\.md to major\./,
    );
    expect(result.stderr).not.toMatch(/migration-0001-bio|api-docs/);
    const json = await releaseCheck(repo, '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      raise: ['.changeset/migration-0002-drop-name.md'],
    });
  });

  it('says to add a changeset when none names the migration that needs a higher bump', async () => {
    appendMigration(join(repo, 'packages/db/migrations'), {
      tag: '0001_drop_name',
      sql: 'ALTER TABLE users DROP COLUMN name',
      when: Date.now(),
    });
    changeset(repo, 'cli-fix', 'patch');
    commit(repo, 'drop name');
    const result = await releaseCheck(repo);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /No changeset for @jam\/db names 0001_drop_name: add one with a major bump \(`pnpm changeset`\), or raise one of \.changeset\/cli-fix\.md to major\./,
    );
  });

  it('counts uncommitted changes and changesets too', async () => {
    writeFileSync(join(repo, 'NOTES.md'), 'feature work\n');
    commit(repo, 'start the feature');
    appendMigration(join(repo, 'packages/db/migrations'), {
      tag: '0001_bio',
      sql: 'ALTER TABLE users ADD COLUMN bio text',
      when: Date.now(),
    });
    changeset(repo, 'bio', 'minor');
    const result = await releaseCheck(repo);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /new migrations: 0001_bio \(additive\)\. Needs minor, changesets give minor: OK/,
    );
  });

  it('refuses a release that carries a contract migration together with its expand', async () => {
    const migrations = join(repo, 'packages/db/migrations');
    appendMigration(migrations, {
      tag: '0001_expand_name',
      sql: '-- jam-db:phase expand\nALTER TABLE users ADD COLUMN full_name text',
      when: Date.now(),
    });
    appendMigration(migrations, {
      tag: '0002_drop_name',
      sql: '-- jam-db:phase contract 0001_expand_name\nALTER TABLE users DROP COLUMN name',
      when: Date.now() + 1000,
    });
    changeset(repo, 'rename-name', 'major');
    commit(repo, 'rename name in one release');
    const result = await releaseCheck(repo);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /0002_drop_name contracts 0001_expand_name, and both are new since main \([0-9a-f]{8}\): they must ship in different releases: release 0001_expand_name first, deploy it everywhere, then 0002_drop_name\. Take the contract migration out of this release and add it in a later one\./,
    );
    const json = await releaseCheck(repo, '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      phaseConflicts: [{ expand: '0001_expand_name', contract: '0002_drop_name' }],
      newMigrations: [
        { tag: '0001_expand_name', phase: 'expand', contracts: null },
        { tag: '0002_drop_name', phase: 'contract', contracts: '0001_expand_name' },
      ],
    });
  });

  it('accepts the expand and its contract in two releases', async () => {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'ignore' });
    const migrations = join(repo, 'packages/db/migrations');
    appendMigration(migrations, {
      tag: '0001_expand_name',
      sql: '-- jam-db:phase expand\nALTER TABLE users ADD COLUMN full_name text',
      when: Date.now(),
    });
    changeset(repo, 'expand-name', 'minor');
    commit(repo, 'expand name');
    const expand = await releaseCheck(repo);
    expect(expand.code).toBe(0);
    expect(expand.stdout).toMatch(/new migrations: 0001_expand_name \(additive, expand\)\./);
    // The expand release is merged and released: main moves on, the contract follows in a new branch.
    git('checkout', '-q', 'main');
    git('merge', '-q', '--ff-only', 'feature');
    git('checkout', '-qb', 'contract');
    appendMigration(migrations, {
      tag: '0002_drop_name',
      sql: '-- jam-db:phase contract 0001_expand_name\nALTER TABLE users DROP COLUMN name',
      when: Date.now() + 1000,
    });
    changeset(repo, 'drop-name', 'major');
    commit(repo, 'contract name');
    const contract = await releaseCheck(repo);
    expect(contract.code).toBe(0);
    expect(contract.stdout).toMatch(
      /new migrations: 0002_drop_name \(breaking, contract of 0001_expand_name\)\. Needs major/,
    );
  });

  it('names a --since that does not exist', async () => {
    const result = await runCli(['release-check', '--since', 'no-such-branch'], {}, { cwd: repo });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--since no-such-branch: no such branch, tag or commit/);
  });

  it('on main itself, holds pending changesets against everything since the last release', async () => {
    execFileSync('git', ['checkout', '-q', 'main'], { cwd: repo });
    appendMigration(join(repo, 'packages/db/migrations'), {
      tag: '0001_bio',
      sql: 'ALTER TABLE users ADD COLUMN bio text',
      when: Date.now(),
    });
    commit(repo, 'bio on main, no changeset');
    const result = await runCli(['release-check'], {}, { cwd: repo });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no changeset for @jam\/db was added/);
  });
});

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { JamDbError } from '../errors.js';
import { lintFolder } from '../lint/lint-folder.js';
import { readMigrationFolder } from '../migrations/journal.js';
import { type Bump, bumpIn, bumpRank } from './changesets.js';
import { git, lines } from './git.js';

export interface ReleaseCheck {
  base: string;
  baseDescription: string;
  changedFiles: string[];
  newMigrations: {
    tag: string;
    classification: 'additive' | 'breaking';
    breakingRules: string[];
  }[];
  required: Bump | null;
  given: Bump | null;
  changesets: string[];
  ok: boolean;
  problem: string | null;
}

const packageName = '@jam/db';
const schemaDir = 'packages/db/src/schema/';
const migrationsDir = 'packages/db/migrations/';

/**
 * A change to @jam/db's schema or migrations must come with a changeset for
 * @jam/db whose bump covers what the new migrations need: additive → minor,
 * breaking → major (as `jam-db lint` classifies them).
 */
export async function checkRelease(root: string, since: string): Promise<ReleaseCheck> {
  const { base, description } = resolveBase(root, since);
  const changedFiles = [
    ...lines(git(root, 'diff', '--name-only', base)),
    ...lines(git(root, 'ls-files', '--others', '--exclude-standard')),
  ].filter((file) => file.startsWith(schemaDir) || file.startsWith(migrationsDir));

  const tagsAtBase = new Set(
    (
      JSON.parse(
        git(root, 'show', `${base}:${migrationsDir}meta/_journal.json`) ?? '{"entries":[]}',
      ).entries as {
        tag: string;
      }[]
    ).map((e) => e.tag),
  );
  const folderPath = join(root, migrationsDir);
  const lint = existsSync(join(folderPath, 'meta', '_journal.json'))
    ? await lintFolder(readMigrationFolder(folderPath))
    : [];
  const newMigrations = lint
    .filter((m) => !tagsAtBase.has(m.tag))
    .map((m) => ({
      tag: m.tag,
      classification: m.classification,
      breakingRules: m.findings.filter((f) => f.severity === 'error').map((f) => f.rule),
    }));
  const required: Bump | null = newMigrations.some((m) => m.classification === 'breaking')
    ? 'major'
    : newMigrations.length > 0
      ? 'minor'
      : changedFiles.length > 0
        ? 'patch'
        : null;

  const changesets = [
    ...lines(git(root, 'diff', '--name-only', '--diff-filter=A', base, '--', '.changeset')),
    ...lines(git(root, 'ls-files', '--others', '--exclude-standard', '--', '.changeset')),
  ].filter(
    (file) => file.endsWith('.md') && !file.endsWith('README.md') && existsSync(join(root, file)),
  );
  const bumps = changesets
    .map((file) => bumpIn(join(root, file), packageName))
    .filter((b): b is Bump => b !== null);
  const given = bumps.sort((a, b) => bumpRank[b] - bumpRank[a])[0] ?? null;

  let problem: string | null = null;
  if (required && !given) {
    problem = `@jam/db's schema or migrations changed since ${description}, but no changeset for @jam/db was added. Run \`pnpm changeset\`, pick @jam/db and a ${required} bump.`;
  } else if (required && given && bumpRank[given] < bumpRank[required]) {
    const breaking = newMigrations.filter((m) => m.classification === 'breaking');
    const why =
      breaking.length > 0
        ? `${breaking.map((m) => `${m.tag} is breaking (${m.breakingRules.join(', ')})`).join('; ')}`
        : `new migrations ${newMigrations.map((m) => m.tag).join(', ')} are additive`;
    problem = `The changesets give @jam/db a ${given} bump, but ${why}, which needs ${required}. Change the bump in ${changesets.join(', ')} to ${required}.`;
  }
  return {
    base,
    baseDescription: description,
    changedFiles,
    newMigrations,
    required,
    given,
    changesets,
    ok: problem === null,
    problem,
  };
}

/**
 * The commit to compare with: the merge base with `since`; on `since` itself
 * (CI on main), the last release, i.e. the last commit that changed @jam/db's
 * version, so the pending changesets are held against everything unreleased.
 */
function resolveBase(root: string, since: string): { base: string; description: string } {
  if (git(root, 'rev-parse', '--git-dir') === null) {
    throw new JamDbError('usage', `release:check needs a git repository; ${root} is not one.`);
  }
  const ref = git(root, 'rev-parse', '--verify', '--quiet', `${since}^{commit}`);
  if (ref === null) {
    throw new JamDbError(
      'usage',
      `--since ${since}: no such branch, tag or commit.`,
      'Pass the branch you will merge into, e.g. --since origin/main.',
    );
  }
  const head = git(root, 'rev-parse', 'HEAD');
  if (head !== ref) {
    const base = git(root, 'merge-base', ref, 'HEAD') ?? ref;
    return { base, description: `${since} (${base.slice(0, 8)})` };
  }
  const lastRelease = git(
    root,
    'log',
    '-1',
    '--format=%H',
    '-G',
    '"version"',
    '--',
    'packages/db/package.json',
  );
  const previous = lastRelease
    ? git(root, 'rev-parse', '--verify', '--quiet', `${lastRelease}^`)
    : null;
  if (lastRelease && previous && bumpedVersion(root, lastRelease)) {
    return { base: lastRelease, description: `the last release (${lastRelease.slice(0, 8)})` };
  }
  const emptyTree =
    git(root, 'hash-object', '-t', 'tree', '/dev/null') ??
    '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
  return { base: emptyTree, description: 'the start of the repository (no release yet)' };
}

/** Whether a commit changed the version line of @jam/db's package.json (not just added the file). */
function bumpedVersion(root: string, commit: string): boolean {
  const diff =
    git(root, 'show', '--format=', '-U0', commit, '--', 'packages/db/package.json') ?? '';
  return /^-\s*"version"/m.test(diff) && /^\+\s*"version"/m.test(diff);
}

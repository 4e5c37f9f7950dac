import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { readMigrationFolder } from '../drizzle-kit/migration-folder.js';
import { JamDbError } from '../errors.js';
import { bumpFor, changesetFileFor } from '../generate/changeset-stub.js';
import { lintFolder } from '../lint/lint-folder.js';
import { breakingRulesOf } from './breaking-rules.js';
import { type Bump, bumpIn, bumpRank } from './changesets.js';
import { git, lines } from './git.js';
import { describePhaseConflicts, expandAndContractTogether } from './phase-conflicts.js';

export interface ReleaseCheck {
  base: string;
  baseDescription: string;
  changedFiles: string[];
  newMigrations: {
    tag: string;
    classification: 'additive' | 'breaking';
    breakingRules: string[];
    phase: 'expand' | 'contract' | null;
    contracts: string | null;
  }[];
  /** Contract migrations that ship in the same release as the expand they complete. */
  phaseConflicts: { expand: string; contract: string }[];
  required: Bump | null;
  given: Bump | null;
  changesets: string[];
  /** When the bump is too low: the changesets written for the migrations that need more. */
  raise: string[];
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
      breakingRules: breakingRulesOf(m.findings),
      phase: m.phase,
      contracts: m.contracts,
    }));
  const phaseConflicts = expandAndContractTogether(newMigrations);
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
  const forPackage = changesets
    .map((file) => ({ file, bump: bumpIn(join(root, file), packageName) }))
    .filter((c): c is PackageChangeset => c.bump !== null);
  const given = forPackage.map((c) => c.bump).sort((a, b) => bumpRank[b] - bumpRank[a])[0] ?? null;

  let problem: string | null = null;
  let raise: string[] = [];
  if (required && !given) {
    problem = `@jam/db's schema or migrations changed since ${description}, but no changeset for @jam/db was added. Run \`pnpm changeset\`, pick @jam/db and a ${required} bump.`;
  } else if (required && given && bumpRank[given] < bumpRank[required]) {
    // Only the migrations that need more than the changesets give: the breaking
    // ones when major is missing, every new one when minor is.
    const offending = newMigrations.filter(
      (m) => bumpRank[bumpFor(m.classification)] > bumpRank[given],
    );
    const why =
      required === 'major'
        ? offending.map((m) => `${m.tag} is breaking (${m.breakingRules.join(', ')})`).join('; ')
        : `new migrations ${offending.map((m) => m.tag).join(', ')} are additive`;
    raise = changesetsOf(root, offending, forPackage);
    const fix =
      raise.length > 0
        ? `Change the bump in ${raise.join(', ')} to ${required}.`
        : `No changeset for @jam/db names ${offending.map((m) => m.tag).join(', ')}: add one with a ${required} bump (\`pnpm changeset\`), or raise one of ${forPackage.map((c) => c.file).join(', ')} to ${required}.`;
    problem = `The changesets give @jam/db a ${given} bump, but ${why}, which needs ${required}. ${fix}`;
  }
  if (phaseConflicts.length > 0) {
    const phases = describePhaseConflicts(phaseConflicts, description);
    problem = problem ? `${phases} ${problem}` : phases;
  }
  return {
    base,
    baseDescription: description,
    changedFiles,
    newMigrations,
    phaseConflicts,
    required,
    given,
    changesets,
    raise,
    ok: problem === null,
    problem,
  };
}

interface PackageChangeset {
  file: string;
  bump: Bump;
}

/**
 * The changesets that belong to these migrations: the stub `jam-db generate`
 * wrote for one (named after its tag), or any changeset whose text names a tag.
 */
function changesetsOf(
  root: string,
  migrations: { tag: string }[],
  changesets: PackageChangeset[],
): string[] {
  return changesets
    .filter(({ file }) => {
      const text = readFileSync(join(root, file), 'utf8');
      return migrations.some(
        (m) => basename(file) === changesetFileFor(m.tag) || text.includes(m.tag),
      );
    })
    .map((c) => c.file);
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

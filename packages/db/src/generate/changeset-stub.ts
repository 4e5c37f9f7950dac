import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bump } from '../release/changesets.js';
import { findRepoRoot } from '../target/target.js';

export interface MigrationClassification {
  tag: string;
  classification: 'additive' | 'breaking';
  /** The rules that made it breaking (the lint's error findings). */
  breakingRules: string[];
}

/** The bump a migration needs, as release:check holds it: breaking → major, additive → minor. */
export const bumpFor = (classification: MigrationClassification['classification']): Bump =>
  classification === 'breaking' ? 'major' : 'minor';

/** Where the stub of a migration goes; release:check finds a migration's changeset by this name too. */
export const changesetFileFor = (tag: string): string => `migration-${tag.replace(/_/g, '-')}.md`;

/**
 * A changeset naming the migration, in the repository that holds the
 * migrations folder, so the release carries it. Its bump follows the lint's
 * classification, so the stub agrees with what `generate` just printed and
 * with what release:check will ask for; the author writes the description.
 */
export function writeChangesetStub(
  migrationsDir: string,
  migration: MigrationClassification,
): { path: string; bump: Bump } | null {
  const root = findRepoRoot(migrationsDir);
  if (!root || !existsSync(join(root, '.changeset'))) return null;
  const bump = bumpFor(migration.classification);
  const why =
    migration.classification === 'breaking'
      ? `breaking (${migration.breakingRules.join(', ')}): say what users must change`
      : 'additive';
  const path = join(root, '.changeset', changesetFileFor(migration.tag));
  writeFileSync(
    path,
    `---\n"@jam/db": ${bump}\n---\n\nMigration \`${migration.tag}\`, ${why}: describe what it changes.\n`,
  );
  return { path, bump };
}

import type { Migration } from '../drizzle-kit/migration-folder.js';
import { type RelationUse, relationUseOf } from '../sql/relations.js';
import { readFileStatements } from '../sql/transaction-control.js';
import type { MigrationPlan } from './segments.js';

/** What each statement of a migration creates and touches, or null when the parser rejects the file. */
export type MigrationRelations = RelationUse[] | null;

/**
 * Reads the relations of the migrations that may share a transaction (those run
 * in segments run alone anyway). Loads the parser only when there is one.
 */
export async function readRelationUses(
  plan: Migration[],
  planOf: (migration: Migration) => MigrationPlan,
): Promise<Map<Migration, MigrationRelations>> {
  const uses = new Map<Migration, MigrationRelations>();
  for (const migration of plan) {
    if (planOf(migration).segmented) continue;
    const parsed = await readFileStatements(migration.statements);
    uses.set(migration, parsed?.map((s) => relationUseOf(s.node)) ?? null);
  }
  return uses;
}

/**
 * Whether a migration touches only relations that `created` holds or that it
 * creates itself before touching them. A file the parser rejects is in doubt.
 */
export function touchesOnlyNew(uses: MigrationRelations, created: ReadonlySet<string>): boolean {
  if (uses === null) return false;
  const known = new Set(created);
  for (const use of uses) {
    if (use.inDoubt || use.touches.some((name) => !known.has(name))) return false;
    for (const name of use.creates) known.add(name);
  }
  return true;
}

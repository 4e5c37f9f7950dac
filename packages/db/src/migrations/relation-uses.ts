import type { Migration } from '../drizzle-kit/migration-folder.js';
import type { Session } from '../engines/session.js';
import { type RelationUse, readRelationUses, relationUseOf } from '../sql/relations.js';
import { readFileStatements } from '../sql/transaction-control.js';
import type { MigrationPlan } from './segments.js';

/** What each statement of a migration creates and touches, or null when the parser rejects the file. */
export type MigrationRelations = RelationUse[] | null;

/** What the batching of one run needs to know about relations. */
export interface RunRelations {
  uses: Map<Migration, MigrationRelations>;
  /** Relations, among those the plan names, that existed when the run started. */
  existing: ReadonlySet<string>;
}

/**
 * Reads the relations each migration of a plan names, and which of them exist
 * already (one query).
 */
export async function readRunRelations(
  session: Session,
  plan: Migration[],
  planOf: (migration: Migration) => MigrationPlan,
): Promise<RunRelations> {
  const uses = await readPlanRelations(plan, planOf);
  const named = new Set([...uses.values()].flatMap((u) => (u ?? []).flatMap((s) => s.touches)));
  return { uses, existing: await existingRelations(session, [...named]) };
}

/**
 * The relations each migration's statements create and touch. A migration run
 * in segments was parsed already (its nodes are reused); the parser is loaded
 * only when a migration is pending at all.
 */
export async function readPlanRelations(
  plan: Migration[],
  planOf: (migration: Migration) => MigrationPlan,
): Promise<Map<Migration, MigrationRelations>> {
  const uses = new Map<Migration, MigrationRelations>();
  for (const migration of plan) {
    const segmentedNodes = planOf(migration).segmented?.nodes;
    if (segmentedNodes) {
      uses.set(migration, segmentedNodes.map(relationUseOf));
      continue;
    }
    const parsed = await readFileStatements(migration.statements);
    const statementUses =
      parsed && (await Promise.all(parsed.map((s) => readRelationUses(s.node))));
    uses.set(migration, statementUses?.flat() ?? null);
  }
  return uses;
}

/**
 * Which of `names` ("schema.name") exist. An unqualified name was read as
 * `public.name`; it also counts as existing when the search path finds a
 * relation of that name, since that is the one the statement would lock.
 */
async function existingRelations(session: Session, names: string[]): Promise<Set<string>> {
  if (names.length === 0) return new Set();
  const rows = await session.query<{ name: string }>(
    `select name from unnest($1::text[]) as name
      where to_regclass(quote_ident(split_part(name, '.', 1)) || '.' || quote_ident(substr(name, strpos(name, '.') + 1))) is not null
         or (split_part(name, '.', 1) = 'public' and to_regclass(quote_ident(substr(name, strpos(name, '.') + 1))) is not null)`,
    [names],
  );
  return new Set(rows.map((r) => r.name));
}

/**
 * Whether a migration touches only relations that did not exist before the run
 * (created by it or by an earlier migration of the run: nothing uses them yet).
 * A statement whose relations cannot be read, or a file the parser rejects, is
 * in doubt.
 */
export function touchesOnlyNew(uses: MigrationRelations, existing: ReadonlySet<string>): boolean {
  if (uses === null) return false;
  return uses.every((use) => !use.inDoubt && use.touches.every((name) => !existing.has(name)));
}

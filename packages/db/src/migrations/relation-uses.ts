import type { Migration } from '../drizzle-kit/migration-folder.js';
import type { Session } from '../engines/session.js';
import { type RelationUse, readRelationUses, relationUseOf } from '../sql/relations.js';
import { readFileStatements } from '../sql/transaction-control.js';
import type { MigrationPlan } from './segments.js';

/** What each statement of a migration creates and touches, or null when the parser rejects the file. */
export type MigrationRelations = RelationUse[] | null;

/** What the batching of one run needs to know about relations. */
export interface RunRelations {
  /** Empty when the run did not need to read them (see readRunRelations). */
  uses: Map<Migration, MigrationRelations>;
  /** Relations, among those the plan names, that existed when the run started. */
  existing: ReadonlySet<string>;
  /** The database held no relation of its own when the run started: nothing it touches is in use. */
  nothingExisted: boolean;
}

/**
 * Reads the relations each migration of a plan names, and which of them exist
 * already (one query). The parser is a WebAssembly module (0.3–0.6 s to load
 * and read 100 migrations), so it is skipped where the answer cannot change
 * the batching: a plan with at most one migration that may share a
 * transaction, and a database that holds no relation of its own yet.
 */
export async function readRunRelations(
  session: Session,
  plan: Migration[],
  planOf: (migration: Migration) => MigrationPlan,
): Promise<RunRelations> {
  const unread = { uses: new Map(), existing: new Set<string>() };
  const mayShare = plan.filter((m) => planOf(m).segmented === null);
  if (mayShare.length <= 1) return { ...unread, nothingExisted: false };
  if (!(await holdsOwnRelations(session))) return { ...unread, nothingExisted: true };
  const uses = await readPlanRelations(plan, planOf);
  const named = new Set([...uses.values()].flatMap((u) => (u ?? []).flatMap((s) => s.touches)));
  return { uses, existing: await existingRelations(session, [...named]), nothingExisted: false };
}

/** The relations some migrations touch, for naming who held a lock they waited for (read now if the run did not). */
export async function touchedBy(
  migrations: Migration[],
  relations: RunRelations,
  planOf: (migration: Migration) => MigrationPlan,
): Promise<string[]> {
  const unread = migrations.filter((m) => !relations.uses.has(m));
  const read = unread.length > 0 ? await readPlanRelations(unread, planOf) : new Map();
  return migrations.flatMap((m) =>
    (relations.uses.get(m) ?? read.get(m) ?? []).flatMap((use: RelationUse) => use.touches),
  );
}

/** Whether any table, view, sequence or index lives outside PostgreSQL's own schemas and drizzle's. */
async function holdsOwnRelations(session: Session): Promise<boolean> {
  const [row] = await session.query<{ found: boolean }>(
    `select exists (
       select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname not in ('pg_catalog', 'information_schema', 'drizzle')
          and n.nspname not like 'pg_%'
     ) as found`,
  );
  return row?.found ?? true;
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

import type { Migration } from '../drizzle-kit/migration-folder.js';
import { addedEnumValues, type ExecutionMode, mentionsAny } from './execution-mode.js';
import { type MigrationRelations, touchesOnlyNew } from './relation-uses.js';
import type { MigrationPlan, SegmentedMigration } from './segments.js';

export interface Batch {
  mode: ExecutionMode;
  migrations: Migration[];
  /** Set for a migration that runs alone, in segments. */
  segmented?: SegmentedMigration | undefined;
}

/**
 * Which migrations share a transaction. A lock lasts until its transaction
 * commits, so a migration that touches a relation the batch did not create (a
 * table that may be busy) runs in a transaction of its own: the lock it takes
 * is released as soon as its own statements are done, not when the last
 * migration of the run is. Consecutive migrations that touch only what the
 * batch created share one transaction, so a fresh database still migrates all
 * or nothing. The batch is also cut around a migration that must run outside a
 * transaction and, when asked, before one that may use an enum value the batch
 * added.
 */
export function toBatches(
  plan: Migration[],
  planOf: (migration: Migration) => MigrationPlan,
  cutAtNewEnumValues: boolean,
  relationsOf: (migration: Migration) => MigrationRelations,
): Batch[] {
  const batches: Batch[] = [];
  let addedInBatch: string[] = [];
  let createdInBatch = new Set<string>();
  let lastTakesMore = false;
  for (const migration of plan) {
    const { mode, segmented } = planOf(migration);
    const shares = !segmented && mode.kind === 'shared-transaction';
    const uses = shares ? relationsOf(migration) : null;
    const joinsLast =
      shares &&
      lastTakesMore &&
      touchesOnlyNew(uses, createdInBatch) &&
      !(cutAtNewEnumValues && mentionsAny(migration, addedInBatch));
    if (joinsLast) {
      batches.at(-1)!.migrations.push(migration);
    } else {
      batches.push({ mode, migrations: [migration], segmented: segmented ?? undefined });
      addedInBatch = [];
      createdInBatch = new Set();
      lastTakesMore = shares && touchesOnlyNew(uses, createdInBatch);
    }
    for (const use of uses ?? []) for (const name of use.creates) createdInBatch.add(name);
    addedInBatch.push(...addedEnumValues(migration));
  }
  return batches;
}

/** Tags of the batch's migrations that ran before the one that failed. */
export function tagsBefore(migrations: Migration[], failedTag: string | null): string[] {
  const at = failedIndex(migrations, failedTag);
  return migrations.slice(0, Math.max(at, 0)).map((m) => m.tag);
}

/** Tags of the batch's migrations after the one that failed: they never started. */
export function tagsAfter(migrations: Migration[], failedTag: string | null): string[] {
  const at = failedIndex(migrations, failedTag);
  return at < 0 ? [] : migrations.slice(at + 1).map((m) => m.tag);
}

const failedIndex = (migrations: Migration[], failedTag: string | null): number =>
  failedTag === null ? -1 : migrations.findIndex((m) => m.tag === failedTag);

import type { Migration } from '../drizzle-kit/migration-folder.js';
import { addedEnumValues, type ExecutionMode, mentionsAny } from './execution-mode.js';
import { type RunRelations, touchesOnlyNew } from './relation-uses.js';
import type { MigrationPlan, SegmentedMigration } from './segments.js';

export interface Batch {
  mode: ExecutionMode;
  migrations: Migration[];
  /** Set for a migration that runs alone, in segments. */
  segmented?: SegmentedMigration | undefined;
}

/**
 * Which migrations share a transaction. A lock lasts until its transaction
 * commits, so a migration that touches a relation that existed before the run
 * (a table that may be busy) runs in a transaction of its own: the lock it
 * takes is released as soon as its own statements are done, not when the last
 * migration of the run is. Migrations that touch only relations that did not
 * exist before the run (nothing uses them yet) share one transaction, so a
 * fresh database still migrates all or nothing. The batch is also cut around a migration that
 * must run outside a transaction, around one whose SQL cannot be read and,
 * when asked, before one that may use an enum value the batch added.
 */
export function toBatches(
  plan: Migration[],
  planOf: (migration: Migration) => MigrationPlan,
  cutAtNewEnumValues: boolean,
  relations: RunRelations,
): Batch[] {
  const batches: Batch[] = [];
  let addedInBatch: string[] = [];
  let lastTakesMore = false;
  for (const migration of plan) {
    const { mode, segmented } = planOf(migration);
    const uses = relations.uses.get(migration) ?? null;
    const onlyNewRelations =
      !segmented &&
      mode.kind === 'shared-transaction' &&
      (relations.nothingExisted || touchesOnlyNew(uses, relations.existing));
    const joinsLast =
      lastTakesMore &&
      onlyNewRelations &&
      !(cutAtNewEnumValues && mentionsAny(migration, addedInBatch));
    if (joinsLast) {
      batches.at(-1)!.migrations.push(migration);
    } else {
      batches.push({ mode, migrations: [migration], segmented: segmented ?? undefined });
      addedInBatch = [];
      lastTakesMore = onlyNewRelations;
    }
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

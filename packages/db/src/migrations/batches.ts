import type { Migration } from '../drizzle-kit/migration-folder.js';
import { addedEnumValues, type ExecutionMode, mentionsAny } from './execution-mode.js';
import type { MigrationPlan, SegmentedMigration } from './segments.js';

export interface Batch {
  mode: ExecutionMode;
  migrations: Migration[];
  /** Set for a migration that runs alone, in segments. */
  segmented?: SegmentedMigration | undefined;
}

/**
 * Consecutive ordinary migrations share one transaction. The batch is cut before
 * a migration that must run outside a transaction and, when asked, before one
 * that may use an enum value the batch added.
 */
export function toBatches(
  plan: Migration[],
  planOf: (migration: Migration) => MigrationPlan,
  cutAtNewEnumValues: boolean,
): Batch[] {
  const batches: Batch[] = [];
  let addedInBatch: string[] = [];
  for (const migration of plan) {
    const { mode, segmented } = planOf(migration);
    const last = batches.at(-1);
    const joinsLast =
      !segmented &&
      !last?.segmented &&
      mode.kind === 'shared-transaction' &&
      last?.mode.kind === 'shared-transaction' &&
      !(cutAtNewEnumValues && mentionsAny(migration, addedInBatch));
    if (joinsLast) {
      last.migrations.push(migration);
    } else {
      batches.push({ mode, migrations: [migration], segmented: segmented ?? undefined });
      addedInBatch = [];
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

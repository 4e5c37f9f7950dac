import type { Migration } from '../drizzle-kit/migration-folder.js';
import type { AppliedRow } from './tracking.js';

/**
 * The migrations folder held against the database. Pending is decided by
 * identity (hash, then the journal `when` drizzle stores), never by drizzle's
 * "newer than the last applied timestamp" rule, which silently skips a migration
 * merged late with an older timestamp.
 */
export interface AppliedMigration {
  migration: Migration;
  row: AppliedRow;
}

export interface ChangedMigration {
  migration: Migration;
  row: AppliedRow;
}

export interface History {
  applied: AppliedMigration[];
  pending: Migration[];
  /** Pending, but older than (or listed before) a migration already applied. */
  outOfOrder: Migration[];
  /** Applied, but the file's content differs from what was applied. */
  changed: ChangedMigration[];
  /** Recorded as applied, but the folder has no such migration. */
  unknown: AppliedRow[];
}

export function compareHistory(migrations: Migration[], rows: AppliedRow[]): History {
  const matched = new Map<Migration, AppliedRow>();
  const changed: ChangedMigration[] = [];
  const unknown: AppliedRow[] = [];
  const unmatched = () => migrations.filter((m) => !matched.has(m));

  for (const row of rows) {
    const byHash = unmatched().filter((m) => m.hash === row.hash);
    const exact =
      byHash.find((m) => m.tag === row.tag) ??
      byHash.find((m) => m.when === row.createdAt) ??
      byHash[0];
    if (exact) {
      matched.set(exact, row);
      continue;
    }
    const sameIdentity =
      unmatched().find((m) => row.tag !== null && m.tag === row.tag) ??
      unmatched().find((m) => row.tag === null && m.when === row.createdAt);
    if (sameIdentity) {
      matched.set(sameIdentity, row);
      changed.push({ migration: sameIdentity, row });
      continue;
    }
    unknown.push(row);
  }

  const isChanged = new Set(changed.map((c) => c.migration));
  const applied = migrations
    .filter((m) => matched.has(m) && !isChanged.has(m))
    .map((migration) => ({ migration, row: matched.get(migration)! }));
  const pending = unmatched();
  const appliedSet = new Set(matched.keys());
  const lastAppliedIdx = Math.max(
    -1,
    ...migrations.filter((m) => appliedSet.has(m)).map((m) => m.idx),
  );
  const lastAppliedWhen = Math.max(-1, ...[...appliedSet].map((m) => m.when));
  const outOfOrder = pending.filter((m) => m.idx < lastAppliedIdx || m.when < lastAppliedWhen);
  return { applied, pending, outOfOrder, changed, unknown };
}

import { join } from 'node:path';
import type { JamDb } from '../client/create-db.js';
import { readMigrationFolder } from '../drizzle-kit/migration-folder.js';
import { compareHistory } from '../migrations/history.js';
import { readAppliedRows } from '../migrations/tracking.js';
import { packageRoot } from '../package-root.js';
import { sessionOf } from './client-session.js';

export interface MigrationStatus {
  /** Migrations of the folder the database has applied, in the order it applied them. */
  applied: { tag: string; appliedAt: string | null }[];
  /** Migrations of the folder the database lacks, in folder order. */
  pending: { tag: string }[];
  /** The @jam/db version that recorded the most recent migration; null when none is recorded. */
  lastMigratedBy: string | null;
}

/**
 * What the database of `jam` has applied and what it still lacks, read through
 * the client's own connection. A migration applied from a since-edited file
 * still counts as applied: the database ran it.
 */
export async function readMigrationStatus(
  jam: Pick<JamDb, 'db' | 'engine'>,
  migrationsDir = join(packageRoot(), 'migrations'),
): Promise<MigrationStatus> {
  const folder = readMigrationFolder(migrationsDir);
  const rows = await readAppliedRows(sessionOf(jam));
  const history = compareHistory(folder.migrations, rows);
  return {
    applied: [...history.applied, ...history.changed]
      .sort((a, b) => a.row.id - b.row.id)
      .map(({ migration, row }) => ({ tag: migration.tag, appliedAt: row.appliedAt })),
    pending: history.pending.map((migration) => ({ tag: migration.tag })),
    lastMigratedBy: rows.findLast((row) => row.packageVersion !== null)?.packageVersion ?? null,
  };
}

import { join } from 'node:path';
import type { JamDb } from '../client/create-db.js';
import { readMigrationFolder } from '../drizzle-kit/migration-folder.js';
import { JamDbError } from '../errors.js';
import { compareHistory } from '../migrations/history.js';
import { readAppliedRows } from '../migrations/tracking.js';
import { packageRoot } from '../package-root.js';
import { sessionOf } from './client-session.js';

/**
 * A startup guard for apps: fails fast, with what to do, when the database lacks
 * migrations this code expects or holds migrations this code does not know.
 */
export async function assertSchemaCurrent(
  jam: JamDb,
  migrationsDir = join(packageRoot(), 'migrations'),
): Promise<void> {
  const folder = readMigrationFolder(migrationsDir);
  const rows = await readAppliedRows(sessionOf(jam));
  const history = compareHistory(folder.migrations, rows);
  if (history.unknown.length > 0) {
    const newer = history.unknown.map((r) => r.packageVersion).find(Boolean);
    throw new JamDbError(
      'schema-ahead',
      `${jam.description} has migrations this code does not know (${history.unknown.map((r) => r.tag ?? `hash ${r.hash.slice(0, 12)}`).join(', ')})${newer ? `: it was migrated by @jam/db ${newer}` : ''}.`,
      'Deploy the code that matches the database, or roll the database back to this code with `pnpm db:rollback`.',
    );
  }
  if (history.changed.length > 0) {
    throw new JamDbError(
      'history-mismatch',
      `${jam.description} applied ${history.changed.map((c) => c.migration.tag).join(', ')} from a different file than this code has.`,
      'Run `pnpm db:status` to see the difference; restore the migration file or accept the edit with `pnpm db:migrate --accept-changed <tag>`.',
    );
  }
  if (history.pending.length > 0) {
    throw new JamDbError(
      'not-migrated',
      `${jam.description} lacks ${history.pending.length} migration(s) this code expects (${history.pending.map((m) => m.tag).join(', ')}).`,
      'Run `pnpm db:migrate`, then start again.',
    );
  }
}

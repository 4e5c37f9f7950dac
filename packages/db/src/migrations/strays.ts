import { type Dirent, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { MigrationFolder } from '../drizzle-kit/migration-folder.js';
import { displayPath } from './failure.js';

/**
 * `.sql` files in the folder that never run. In drizzle-kit 0.x's layout,
 * drizzle's migrator and jam-db run only what the journal lists; the usual
 * cause is a merge that kept the file but lost its journal entry to the other
 * branch's. A listed migration's `<tag>.down.sql` is no stray. In 1.0's layout
 * only `<folder>/migration.sql` runs: a `.sql` file at the top, or in a folder
 * without a `migration.sql`, never does.
 */
export function strayMigrationFiles(folder: MigrationFolder): string[] {
  return folder.layout === 'folders' ? foldersStrays(folder) : journalStrays(folder);
}

function journalStrays(folder: MigrationFolder): string[] {
  const listed = new Set(folder.migrations.flatMap((m) => [`${m.tag}.sql`, `${m.tag}.down.sql`]));
  return sqlFilesIn(folder.dir)
    .filter((name) => !listed.has(name))
    .sort();
}

function foldersStrays(folder: MigrationFolder): string[] {
  const migrations = new Set(folder.migrations.map((m) => m.tag));
  const inFolders = entriesOf(folder.dir)
    .filter((entry) => entry.isDirectory() && !migrations.has(entry.name))
    .flatMap((entry) => sqlFilesIn(join(folder.dir, entry.name)).map((f) => `${entry.name}/${f}`));
  return [...sqlFilesIn(folder.dir), ...inFolders].sort();
}

function entriesOf(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

const sqlFilesIn = (dir: string): string[] =>
  entriesOf(dir)
    .filter((entry) => entry.isFile() && entry.name.endsWith('.sql'))
    .map((entry) => entry.name);

/** What the user reads about one stray file: what it means and what to do. */
export function strayWarning(folder: MigrationFolder, file: string): string {
  const path = displayPath(`${folder.dir}/${file}`);
  if (folder.layout === 'folders') {
    return `${path} is not the migration.sql of a <timestamp>_<name>/ migration folder, so it never runs. If it should run, move its SQL into <YYYYMMDDhhmmss>_<name>/migration.sql (a new folder after the last one); if not, delete the file.`;
  }
  const journal = displayPath(`${folder.dir}/meta/_journal.json`);
  return `${path} is not listed in ${journal}, so it never runs (a migration lost in a merge?). If it should run, add its entry to the journal after the last one, or move its SQL into a new migration; if not, delete the file.`;
}

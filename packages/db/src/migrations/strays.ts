import { type Dirent, readdirSync } from 'node:fs';
import { displayPath } from './failure.js';
import type { MigrationFolder } from './journal.js';

/**
 * `.sql` files in the folder that the journal does not list: drizzle's migrator
 * and jam-db run only what the journal lists, so such a file never runs. The
 * usual cause is a merge that kept the file but lost its journal entry to the
 * other branch's. A listed migration's `<tag>.down.sql` is no stray.
 */
export function strayMigrationFiles(folder: MigrationFolder): string[] {
  const listed = new Set(folder.migrations.flatMap((m) => [`${m.tag}.sql`, `${m.tag}.down.sql`]));
  let entries: Dirent[];
  try {
    entries = readdirSync(folder.dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.sql') && !listed.has(entry.name))
    .map((entry) => entry.name)
    .sort();
}

/** What the user reads about one stray file: what it means and what to do. */
export function strayWarning(folder: MigrationFolder, file: string): string {
  const journal = displayPath(`${folder.dir}/meta/_journal.json`);
  return `${displayPath(`${folder.dir}/${file}`)} is not listed in ${journal}, so it never runs (a migration lost in a merge?). If it should run, add its entry to the journal after the last one, or move its SQL into a new migration; if not, delete the file.`;
}

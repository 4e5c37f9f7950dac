import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The two ways drizzle-kit lays out a migrations folder:
 *
 * - `journal` (0.x): `meta/_journal.json` lists the migrations; each is
 *   `<tag>.sql`, its snapshot `meta/<prefix>_snapshot.json`.
 * - `folders` (1.0): no journal; each migration is a folder
 *   `<YYYYMMDDhhmmss>_<name>/` holding `migration.sql` and `snapshot.json`,
 *   applied in the order of the folder names.
 */
export type FolderLayout = 'journal' | 'folders';

export const journalPath = (dir: string): string => join(dir, 'meta', '_journal.json');

/** The up script of a 1.0 migration folder. */
export const folderMigrationPath = (dir: string, tag: string): string =>
  join(dir, tag, 'migration.sql');

/** The snapshot of a 1.0 migration folder. */
export const folderSnapshotPath = (dir: string, tag: string): string =>
  join(dir, tag, 'snapshot.json');

/** True when `tag` names a 1.0 migration folder of `dir` rather than a 0.x `<tag>.sql`. */
export const isMigrationFolder = (dir: string, tag: string): boolean =>
  existsSync(folderMigrationPath(dir, tag));

/**
 * The subfolders of `dir` that hold a `migration.sql`, in the order drizzle-orm
 * 1.0 applies them (it sorts the names with `localeCompare`).
 */
export function migrationSubfolders(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && isMigrationFolder(dir, entry.name))
    .map((entry) => entry.name)
    .sort((a, b) => a.localeCompare(b));
}

/**
 * Which layout `dir` uses; null when it is neither. A journal wins, as it does
 * for drizzle-kit 0.x (drizzle-kit 1.0 refuses such a folder until `drizzle-kit
 * up` converted it).
 */
export function detectLayout(dir: string): FolderLayout | null {
  if (existsSync(journalPath(dir))) return 'journal';
  return migrationSubfolders(dir).length > 0 ? 'folders' : null;
}

/**
 * drizzle-orm 1.0 records a folder's timestamp (UTC, from the first 14
 * characters of its name) in ms as `created_at`; jam-db uses it as the
 * journal's `when`. Null when the name does not start with a valid timestamp.
 */
export function folderTimestamp(tag: string): number | null {
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})/.exec(tag);
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const millis = Date.UTC(year, month - 1, day, hour, minute, second);
  const back = new Date(millis);
  const valid =
    back.getUTCFullYear() === year &&
    back.getUTCMonth() === month - 1 &&
    back.getUTCDate() === day &&
    back.getUTCHours() === hour &&
    back.getUTCMinutes() === minute &&
    back.getUTCSeconds() === second;
  return valid ? millis : null;
}

import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JamDbError } from '../errors.js';
import { splitStatements } from './breakpoints.js';
import {
  detectLayout,
  type FolderLayout,
  folderMigrationPath,
  folderTimestamp,
  journalPath,
  migrationSubfolders,
} from './layout.js';
import {
  type MigrationPhase,
  type PhaseProblem,
  readPhaseDirective,
  resolvePhases,
} from './phase-directive.js';

/** One migration of a drizzle-kit folder, as the journal lists it. */
export interface Migration {
  idx: number;
  tag: string;
  /** The journal's `when`: drizzle stores it as `created_at` of its tracking row. */
  when: number;
  /** SHA-256 of the whole file, computed the way drizzle-orm does. */
  hash: string;
  path: string;
  /** The whole file, as hashed. */
  sql: string;
  statements: string[];
  /**
   * From its `-- jam-db:phase` line; a migration a contract names is its expand.
   * Optional so that a migration built by hand (tests, scratch runs) has none.
   */
  phase?: MigrationPhase | null;
  /** A phase line that cannot be acted on (`migrate` refuses it, `lint` reports it). */
  phaseProblem?: PhaseProblem | null;
}

export interface MigrationFolder {
  dir: string;
  /** drizzle-kit 0.x's journal, or 1.0's folder per migration. */
  layout: FolderLayout;
  migrations: Migration[];
}

interface JournalEntry {
  idx: number;
  when: number;
  tag: string;
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export function readMigrationFolder(dir: string): MigrationFolder {
  const layout = detectLayout(dir);
  if (layout === null) {
    throw new JamDbError(
      'migrations-folder',
      `${dir} is not a drizzle-kit migrations folder: it has neither ${journalPath(dir)} (drizzle-kit 0.x) nor a <timestamp>_<name>/migration.sql folder (drizzle-kit 1.0).`,
      'Pass --migrations <dir> pointing at the folder drizzle-kit generates, or run `pnpm db:generate` first.',
    );
  }
  const entries = layout === 'journal' ? journalEntries(dir) : folderEntries(dir);
  const migrations = entries.map((entry) => {
    if (!existsSync(entry.path)) {
      throw new JamDbError(
        'migrations-folder',
        `The journal ${journalPath(dir)} lists migration ${entry.tag}, but ${entry.path} does not exist.`,
        'Restore the file from version control, or regenerate the migrations folder; never delete an applied migration.',
      );
    }
    const sql = readFileSync(entry.path, 'utf8');
    const directive = readPhaseDirective(sql);
    return {
      idx: entry.idx,
      tag: entry.tag,
      when: entry.when,
      hash: sha256(sql),
      path: entry.path,
      sql,
      statements: splitStatements(sql),
      phase: directive.phase,
      phaseProblem: directive.problem,
    };
  });
  return { dir, layout, migrations: resolvePhases(migrations) };
}

type Entry = JournalEntry & { path: string };

function journalEntries(dir: string): Entry[] {
  return readJournal(journalPath(dir)).map((entry) => ({
    ...entry,
    path: join(dir, `${entry.tag}.sql`),
  }));
}

/** drizzle-kit 1.0: every `<YYYYMMDDhhmmss>_<name>/migration.sql`, in name order. */
function folderEntries(dir: string): Entry[] {
  return migrationSubfolders(dir).map((tag, idx) => {
    const when = folderTimestamp(tag);
    if (when === null) {
      throw new JamDbError(
        'migrations-folder',
        `The migration folder ${join(dir, tag)} does not start with a YYYYMMDDhhmmss timestamp, which drizzle-kit 1.0 records as the migration's time and orders by.`,
        'Rename the folder to <YYYYMMDDhhmmss>_<name> as drizzle-kit generate names it (keep its place in the order), or move it out of the migrations folder.',
      );
    }
    return { idx, tag, when, path: folderMigrationPath(dir, tag) };
  });
}

function readJournal(path: string): JournalEntry[] {
  let journal: unknown;
  try {
    journal = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new JamDbError(
      'migrations-folder',
      `${path} is not valid JSON (${(error as Error).message}).`,
      'Resolve the merge conflict or restore the file from version control.',
    );
  }
  const entries = (journal as { entries?: unknown }).entries;
  if (!Array.isArray(entries)) {
    throw new JamDbError(
      'migrations-folder',
      `${path} has no "entries" list, so it is not a drizzle-kit journal.`,
      'Restore the file from version control.',
    );
  }
  const seen = new Set<string>();
  return entries.map((entry: Partial<JournalEntry>, position) => {
    if (typeof entry?.tag !== 'string' || typeof entry.when !== 'number') {
      throw new JamDbError(
        'migrations-folder',
        `Entry ${position} of ${path} lacks a "tag" or a numeric "when".`,
        'Restore the file from version control.',
      );
    }
    if (seen.has(entry.tag)) {
      throw new JamDbError(
        'migrations-folder',
        `${path} lists migration ${entry.tag} twice.`,
        'Remove the duplicate entry (usually left by a merge).',
      );
    }
    seen.add(entry.tag);
    return { idx: entry.idx ?? position, when: entry.when, tag: entry.tag };
  });
}

import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JamDbError } from '../errors.js';
import { splitStatements } from './statements.js';

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
}

export interface MigrationFolder {
  dir: string;
  migrations: Migration[];
}

interface JournalEntry {
  idx: number;
  when: number;
  tag: string;
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export function readMigrationFolder(dir: string): MigrationFolder {
  const journalPath = join(dir, 'meta', '_journal.json');
  if (!existsSync(journalPath)) {
    throw new JamDbError(
      'migrations-folder',
      `${dir} is not a drizzle-kit migrations folder: ${journalPath} does not exist.`,
      'Pass --migrations <dir> pointing at the folder drizzle-kit generates (it holds meta/_journal.json), or run `pnpm db:generate` first.',
    );
  }
  const entries = readJournal(journalPath);
  const migrations = entries.map((entry) => {
    const path = join(dir, `${entry.tag}.sql`);
    if (!existsSync(path)) {
      throw new JamDbError(
        'migrations-folder',
        `The journal ${journalPath} lists migration ${entry.tag}, but ${path} does not exist.`,
        'Restore the file from version control, or regenerate the migrations folder; never delete an applied migration.',
      );
    }
    const sql = readFileSync(path, 'utf8');
    return {
      idx: entry.idx,
      tag: entry.tag,
      when: entry.when,
      hash: sha256(sql),
      path,
      sql,
      statements: splitStatements(sql),
    };
  });
  return { dir, migrations };
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

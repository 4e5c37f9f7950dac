import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { splitStatements } from '../drizzle-kit/breakpoints.js';
import { isMigrationFolder } from '../drizzle-kit/layout.js';
import { sha256 } from '../drizzle-kit/migration-folder.js';

/** First-line markers of a down script, as the contract defines them. */
export const dataLossMarker = '-- jam-db:data-loss';
export const manualMarker = '-- jam-db:manual';

export interface DownScript {
  tag: string;
  path: string;
  hash: string;
  statements: string[];
  /** Drops something that may hold rows: `rollback` wants --allow-data-loss. */
  dataLoss: boolean;
  /** No down could be derived; a person must write it before rollback works. */
  manual: boolean;
  /** The comment lines after the marker, which say what the script drops. */
  notes: string[];
}

/**
 * `<tag>.down.sql` beside `<tag>.sql` in drizzle-kit 0.x's layout; in 1.0's
 * folder per migration, `<tag>/down.sql` beside `migration.sql` (drizzle-kit
 * 1.0 reads only `migration.sql` and `snapshot.json` there).
 */
export const downScriptPath = (dir: string, tag: string) =>
  isMigrationFolder(dir, tag) ? join(dir, tag, 'down.sql') : join(dir, `${tag}.down.sql`);

/** The down script's path relative to the migrations folder, as messages name it. */
export const downScriptName = (dir: string, tag: string) =>
  isMigrationFolder(dir, tag) ? `${tag}/down.sql` : `${tag}.down.sql`;

export function readDownScript(dir: string, tag: string): DownScript | null {
  const path = downScriptPath(dir, tag);
  if (!existsSync(path)) return null;
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  const firstLine = lines[0]?.trim() ?? '';
  const notes: string[] = [];
  for (const line of lines.slice(1)) {
    if (!line.trim().startsWith('--') || line.includes('statement-breakpoint')) break;
    notes.push(line.trim().replace(/^--\s?/, ''));
  }
  return {
    tag,
    path,
    hash: sha256(text),
    statements: splitStatements(text),
    dataLoss: firstLine === dataLossMarker,
    manual: firstLine === manualMarker,
    notes,
  };
}

import { readFileSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { scrubPassword, type Target, userCwd } from '../client/target.js';
import { statementSummary } from './statements.js';

/** The 1-based line of `statement` in the file at `path`, when it can be found. */
export function lineOf(path: string, statement: string): number | null {
  try {
    const text = readFileSync(path, 'utf8');
    const at = text.indexOf(statement);
    return at < 0 ? null : text.slice(0, at).split('\n').length;
  } catch {
    return null;
  }
}

/** "statement 3 (line 12 of migrations/0001_x.sql): ALTER TABLE …" */
export function locateStatement(
  path: string,
  statement: string | null,
  position: number | null,
): string {
  if (statement === null || position === null)
    return `a statement of ${displayPath(path)} (the database did not say which)`;
  const line = lineOf(path, statement);
  const file = displayPath(path);
  const where = line === null ? file : `line ${line} of ${file}`;
  return `statement ${position + 1} (${where}): ${statementSummary(statement)}`;
}

/** The database's own words, with its SQLSTATE, and never a password. */
export function databaseMessage(error: unknown, target: Target): string {
  const { message, code } = error as { message?: string; code?: string };
  const text = scrubPassword(message ?? String(error), target);
  return code && /^[0-9A-Z]{5}$/.test(code) ? `${text} (SQLSTATE ${code})` : text;
}

/** A path relative to where the user stands when it lies below it, else absolute. */
export function displayPath(path: string): string {
  const near = relative(userCwd(), path);
  return near === '' ? '.' : near.startsWith(`..${sep}`) || near === '..' ? path : near;
}

import { readFileSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { scrubPassword, type Target, userCwd } from '../client/target.js';
import { splitStatementsAt } from '../drizzle-kit/breakpoints.js';
import { sqlStatementSpans } from './statement-spans.js';
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

/** What `locateStatement` needs to know of a failed statement. */
export interface FailedStatement {
  path: string;
  /** The failing statement (a chunk between breakpoints) and its 0-based index in the file. */
  statement: string | null;
  position: number | null;
  /** Where in the statement the database put the error, when it said. */
  errorOffset: number | null;
  /** Where in the statement the SQL statement a replay found failing starts. */
  replayedOffset: number | null;
}

/**
 * "statement 3 (line 12 of migrations/0001_x.sql): ALTER TABLE … (error at line
 * 13, column 7)". The line is that of the SQL statement that failed, past any
 * comments before it, also when the chunk between breakpoints holds several;
 * the error's own line and column are added when the database gave a position.
 */
export function locateStatement(failure: FailedStatement): string {
  const { path, statement, position } = failure;
  const file = displayPath(path);
  if (statement === null || position === null)
    return `a statement of ${file} (the database did not say which)`;
  const at = failure.errorOffset ?? failure.replayedOffset;
  const spans = sqlStatementSpans(statement);
  const span = (at === null ? undefined : spans.filter((s) => s.start <= at).at(-1)) ??
    spans[0] ?? { start: 0, end: statement.length };
  const end = statement[span.end] === ';' ? span.end + 1 : span.end;
  const summary = statementSummary(statement.slice(span.start, end));
  const text = readText(path);
  const start = text === null ? null : statementStart(text, statement, position);
  if (text === null || start === null) return `statement ${position + 1} (${file}): ${summary}`;
  const where = `line ${lineAt(text, start + span.start)} of ${file}`;
  const error =
    failure.errorOffset === null
      ? ''
      : ` (error at line ${lineAt(text, start + failure.errorOffset)}, column ${columnAt(text, start + failure.errorOffset)})`;
  return `statement ${position + 1} (${where}): ${summary}${error}`;
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** Where the `position`-th statement starts in the file, found by splitting it again as the runner did. */
function statementStart(text: string, statement: string, position: number): number | null {
  const chunk = splitStatementsAt(text)[position];
  if (chunk?.text === statement) return chunk.start;
  const found = text.indexOf(statement);
  return found < 0 ? null : found;
}

const lineAt = (text: string, offset: number): number => text.slice(0, offset).split('\n').length;

/** 1-based, in characters as an editor counts them. */
const columnAt = (text: string, offset: number): number =>
  [...text.slice(text.lastIndexOf('\n', offset - 1) + 1, offset)].length + 1;

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

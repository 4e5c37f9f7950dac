/** drizzle-kit separates the statements of a migration with this marker. */
export const statementBreakpoint = '--> statement-breakpoint';

/** The statements of a migration script, blanks dropped, in order. */
export function splitStatements(script: string): string[] {
  return script
    .split(statementBreakpoint)
    .map((chunk) => chunk.trim())
    .filter((chunk) => chunk.length > 0 && !isOnlyComments(chunk));
}

const isOnlyComments = (chunk: string): boolean =>
  chunk.split('\n').every((line) => line.trim() === '' || line.trim().startsWith('--'));

/** The first line of `statement`, shortened, to name it in a message. */
export function statementSummary(statement: string): string {
  const firstLine =
    statement
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line && !line.startsWith('--')) ?? statement.trim();
  return firstLine.length > 120 ? `${firstLine.slice(0, 117)}...` : firstLine;
}

/**
 * The statements of a script as one text for a single round trip (simple
 * protocol), with where each statement starts so that an error position the
 * database reports can be traced back to its statement. The separator ends a
 * statement even when its last line is a comment.
 */
export interface JoinedScript {
  text: string;
  starts: number[];
}

const separator = '\n;\n';

export function joinStatements(statements: string[]): JoinedScript {
  const starts: number[] = [];
  let text = '';
  for (const statement of statements) {
    starts.push(text.length);
    text += statement + separator;
  }
  return { text, starts };
}

/** The index of the statement holding the 1-based character `position`, if any. */
export function statementAtPosition(script: JoinedScript, position: number): number | null {
  const offset = position - 1;
  if (!Number.isFinite(offset) || offset < 0 || offset >= script.text.length) return null;
  let index = 0;
  while (index + 1 < script.starts.length && script.starts[index + 1]! <= offset) index++;
  return index;
}

/**
 * drizzle-kit before 0.30 wrapped every foreign key and enum in
 * `DO $$ BEGIN <statement>; EXCEPTION WHEN duplicate_object THEN null; END $$;`
 * so that re-running it is harmless. For reading a migration, the wrapped
 * statement is what it does.
 */
const idempotentDo =
  /^\s*do\s+\$\$\s*begin\s+([\s\S]*?);?\s*exception\s+when\s+duplicate_object\s+then\s+null;\s*end\s*\$\$\s*;?\s*$/i;

export function unwrapIdempotentDo(statement: string): string {
  const inner = idempotentDo.exec(statement)?.[1];
  return inner === undefined ? statement : `${inner.trim()};`;
}

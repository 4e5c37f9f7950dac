/** drizzle-kit separates the statements of a migration with this marker. */
export const statementBreakpoint = '--> statement-breakpoint';

/** The statements of a migration script, blanks dropped, in order. */
export function splitStatements(script: string): string[] {
  return splitStatementsAt(script).map((chunk) => chunk.text);
}

/** As `splitStatements`, with where each statement starts in the script. */
export function splitStatementsAt(script: string): { text: string; start: number }[] {
  const chunks: { text: string; start: number }[] = [];
  let at = 0;
  for (const piece of script.split(statementBreakpoint)) {
    const text = piece.trim();
    if (text.length > 0 && !isOnlyComments(text)) {
      chunks.push({ text, start: at + piece.indexOf(text) });
    }
    at += piece.length + statementBreakpoint.length;
  }
  return chunks;
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

/**
 * The statement holding an error position the database reported (1-based, in
 * characters, as PostgreSQL counts them), and the offset into that statement.
 */
export function positionInScript(
  script: JoinedScript,
  position: number,
): { index: number; offset: number } | null {
  const at = codeUnitIndex(script.text, position - 1);
  if (at === null) return null;
  let index = 0;
  while (index + 1 < script.starts.length && script.starts[index + 1]! <= at) index++;
  return { index, offset: at - script.starts[index]! };
}

/** The string index of the `characters`-th code point: PostgreSQL counts characters, JavaScript UTF-16 units. */
export function codeUnitIndex(text: string, characters: number): number | null {
  if (!Number.isInteger(characters) || characters < 0) return null;
  let index = 0;
  for (let seen = 0; seen < characters; seen++) {
    if (index >= text.length) return null;
    index += (text.codePointAt(index) ?? 0) > 0xffff ? 2 : 1;
  }
  return index < text.length ? index : null;
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

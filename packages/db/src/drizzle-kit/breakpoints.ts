/**
 * How drizzle-kit writes a migration script: statements separated by its
 * breakpoint marker, and (before 0.30) foreign keys and enums wrapped to be
 * re-runnable. Both layouts (0.x and 1.0) use the same script format.
 */
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

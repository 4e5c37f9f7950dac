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

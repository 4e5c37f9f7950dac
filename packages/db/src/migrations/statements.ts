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

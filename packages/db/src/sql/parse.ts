/**
 * PostgreSQL's own parser (libpg-query, compiled to WebAssembly), loaded only by
 * the commands that lint.
 */
export interface ParsedStatement {
  node: unknown;
  /** The statement's own text, cut from the chunk by the parser's locations. */
  text: string;
}

type Parser = typeof import('libpg-query');
let parser: Promise<Parser> | undefined;

async function load(): Promise<Parser> {
  parser ??= import('libpg-query').then(async (module) => {
    await module.loadModule();
    return module;
  });
  return parser;
}

/** The statements of a chunk, or null when PostgreSQL's grammar rejects it. */
export async function parseStatements(chunk: string): Promise<ParsedStatement[] | null> {
  const { parseSync } = await load();
  let result: { stmts?: { stmt?: unknown; stmt_location?: number; stmt_len?: number }[] };
  try {
    result = parseSync(chunk) as typeof result;
  } catch {
    return null;
  }
  const bytes = Buffer.from(chunk, 'utf8');
  return (result.stmts ?? []).map((s) => {
    const start = s.stmt_location ?? 0;
    const end = s.stmt_len ? start + s.stmt_len : bytes.length;
    return { node: s.stmt, text: bytes.subarray(start, end).toString('utf8').trim() };
  });
}

/** Why PostgreSQL's grammar rejects a chunk, and where (a 0-based offset into it), or null when it does not. */
export async function syntaxErrorIn(
  chunk: string,
): Promise<{ message: string; offset: number | null } | null> {
  const { parseSync } = await load();
  try {
    parseSync(chunk);
    return null;
  } catch (error) {
    const details = (error as { sqlDetails?: { cursorPosition?: number } }).sqlDetails;
    const cursor = details?.cursorPosition;
    return {
      message: (error as Error).message,
      offset: typeof cursor === 'number' && cursor > 0 ? cursor - 1 : null,
    };
  }
}

/**
 * Identifiers longer than PostgreSQL keeps (63 bytes). Read from the scanner's
 * tokens, since the parser has already cut them short in its tree.
 */
export async function overlongIdentifiers(chunk: string): Promise<string[]> {
  const { scanSync } = await load();
  try {
    return scanSync(chunk)
      .tokens.filter((t) => t.tokenName === 'IDENT')
      .map((t) => t.text.replace(/^"|"$/g, '').replace(/""/g, '"'))
      .filter((name) => Buffer.byteLength(name, 'utf8') > 63);
  } catch {
    return [];
  }
}

/** A statement of a chunk with where its text lies in the chunk (string indices, comments before it included). */
export interface StatementSpan {
  node: unknown;
  start: number;
  /** Before the `;` that ends it, or the chunk's end. */
  end: number;
}

/** The statements of a chunk with their places in it, or null when PostgreSQL's grammar rejects it. */
export async function parseStatementSpans(chunk: string): Promise<StatementSpan[] | null> {
  const { parseSync } = await load();
  let result: { stmts?: { stmt?: unknown; stmt_location?: number; stmt_len?: number }[] };
  try {
    result = parseSync(chunk) as typeof result;
  } catch {
    return null;
  }
  const indexOf = byteToIndex(chunk);
  const bytes = Buffer.byteLength(chunk, 'utf8');
  return (result.stmts ?? []).map((s) => {
    const start = s.stmt_location ?? 0;
    const end = s.stmt_len ? start + s.stmt_len : bytes;
    return { node: s.stmt, start: indexOf(start), end: indexOf(end) };
  });
}

/** A token of PostgreSQL's scanner, with string indices into the scanned text. */
export interface SqlToken {
  start: number;
  end: number;
  text: string;
  /** A comment (`-- …`, `/* … *\/`): part of the text, never of the statement's grammar. */
  comment: boolean;
}

/** The scanner's tokens of a text (comments included, marked), or null when it cannot scan it. */
export async function scanTokens(text: string): Promise<SqlToken[] | null> {
  const { scanSync } = await load();
  try {
    const indexOf = byteToIndex(text);
    return scanSync(text).tokens.map((t) => ({
      start: indexOf(t.start),
      end: indexOf(t.end),
      text: t.text,
      comment: t.tokenName === 'SQL_COMMENT' || t.tokenName === 'C_COMMENT',
    }));
  } catch {
    return null;
  }
}

/** The parser counts in UTF-8 bytes, JavaScript strings in UTF-16 units: a map from one to the other. */
function byteToIndex(text: string): (byte: number) => number {
  if (Buffer.byteLength(text, 'utf8') === text.length) return (byte) => byte;
  const indexes: number[] = [];
  for (let index = 0; index < text.length; index++) {
    const code = text.codePointAt(index)!;
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    for (let b = 0; b < size; b++) indexes.push(index);
    if (code > 0xffff) index++;
  }
  return (byte) => (byte >= indexes.length ? text.length : indexes[byte]!);
}

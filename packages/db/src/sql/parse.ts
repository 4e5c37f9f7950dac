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

/** A token of PostgreSQL's scanner: its text and its byte offsets in the scanned text. */
export interface ScannedToken {
  start: number;
  end: number;
  text: string;
}

/** The scanner's tokens of `text` (comments included), or null when it cannot scan it. */
export async function scanTokens(text: string): Promise<ScannedToken[] | null> {
  const { scanSync } = await load();
  try {
    return scanSync(text).tokens.map(({ start, end, text }) => ({ start, end, text }));
  } catch {
    return null;
  }
}

/** Where one SQL statement lies in a text: from its first token to just before its `;`. */
export interface Span {
  start: number;
  end: number;
}

/**
 * The SQL statements of a chunk, cut at semicolons outside quotes, dollar quotes
 * and comments, the way psql cuts a script. A drizzle-kit chunk usually holds
 * one statement, but hand-written migrations put several between breakpoints,
 * and an error must be pinned on the one that failed. (A `BEGIN ATOMIC` body,
 * rare in migrations, is cut at its inner semicolons; callers treat spans as a
 * guide and check them against the database.)
 */
export function sqlStatementSpans(chunk: string): Span[] {
  const spans: Span[] = [];
  let start = -1;
  let last = -1;
  let i = 0;
  while (i < chunk.length) {
    const skipped = skipCommentOrBlank(chunk, i);
    if (skipped !== i) {
      i = skipped;
      continue;
    }
    if (chunk[i] === ';') {
      if (start >= 0) spans.push({ start, end: last + 1 });
      start = -1;
      i++;
      continue;
    }
    if (start < 0) start = i;
    const next = skipToken(chunk, i);
    last = next - 1;
    i = next;
  }
  if (start >= 0) spans.push({ start, end: last + 1 });
  return spans;
}

function skipCommentOrBlank(text: string, i: number): number {
  if (/\s/.test(text[i]!)) return i + 1;
  if (text.startsWith('--', i)) {
    const newline = text.indexOf('\n', i);
    return newline < 0 ? text.length : newline + 1;
  }
  if (text.startsWith('/*', i)) {
    // PostgreSQL's block comments nest.
    let depth = 0;
    let at = i;
    while (at < text.length) {
      if (text.startsWith('/*', at)) {
        depth++;
        at += 2;
      } else if (text.startsWith('*/', at)) {
        depth--;
        at += 2;
        if (depth === 0) return at;
      } else at++;
    }
    return text.length;
  }
  return i;
}

const identifierChar = /[\w$]/;

/** The index after the token (a quoted string or identifier, a dollar-quoted body, or one character) at `i`. */
function skipToken(text: string, i: number): number {
  const c = text[i]!;
  const before = i > 0 ? text[i - 1]! : '';
  if (c === "'") {
    // E'…' strings take backslash escapes; standard strings only double the quote.
    const escapes = /[eE]/.test(before) && !identifierChar.test(i > 1 ? text[i - 2]! : '');
    return skipQuoted(text, i, "'", escapes);
  }
  if (c === '"') return skipQuoted(text, i, '"', false);
  if (c === '$' && !identifierChar.test(before)) {
    const tag = /^\$(?:[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?\$/.exec(text.slice(i, i + 64));
    if (tag) {
      const close = text.indexOf(tag[0], i + tag[0].length);
      return close < 0 ? text.length : close + tag[0].length;
    }
  }
  return i + 1;
}

function skipQuoted(text: string, i: number, quote: string, escapes: boolean): number {
  let at = i + 1;
  while (at < text.length) {
    if (escapes && text[at] === '\\') {
      at += 2;
    } else if (text[at] === quote) {
      if (text[at + 1] !== quote) return at + 1;
      at += 2;
    } else at++;
  }
  return text.length;
}

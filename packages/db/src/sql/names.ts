/** Writing names and values into SQL text, as PostgreSQL reads them back. */

/** A double-quoted identifier ("a""b" for a"b). */
export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** A single-quoted string literal ('it''s'). */
export const quoteLiteral = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/** The name PostgreSQL keeps of a long identifier: at most 63 bytes, never half a character. */
export function cutIdentifier(name: string): string {
  let cut = '';
  for (const character of name) {
    if (Buffer.byteLength(cut + character) > 63) break;
    cut += character;
  }
  return cut;
}

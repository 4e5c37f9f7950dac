/** Quoting and naming for the SQL the expand / contract forms write. */

import { quoteIdent as quote } from '../sql/names.js';

export { cutIdentifier as cutName, quoteIdent as quote } from '../sql/names.js';

/** `"t"` or `"s"."t"`: drizzle-kit leaves the public schema unnamed. */
export const qualified = (schema: string, table: string): string =>
  schema === '' || schema === 'public' ? quote(table) : `${quote(schema)}.${quote(table)}`;

/**
 * A name for something the expand builds and the contract renames: the
 * suffix stays whole (the head is cut), so two temporary names never collide
 * with the name they stand in for.
 */
export function temporaryName(name: string, suffix = '_jam_new'): string {
  let head = name;
  while (Buffer.byteLength(head + suffix, 'utf8') > 63) head = head.slice(0, -1);
  return head + suffix;
}

/** Quoting and naming for the SQL the expand / contract forms write. */

export const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** `"t"` or `"s"."t"`: drizzle-kit leaves the public schema unnamed. */
export const qualified = (schema: string, table: string): string =>
  schema === '' || schema === 'public' ? quote(table) : `${quote(schema)}.${quote(table)}`;

/** PostgreSQL keeps 63 bytes of a name; cut by characters so no UTF-8 sequence is split. */
export function cutName(name: string): string {
  let cut = name;
  while (Buffer.byteLength(cut, 'utf8') > 63) cut = cut.slice(0, -1);
  return cut;
}

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

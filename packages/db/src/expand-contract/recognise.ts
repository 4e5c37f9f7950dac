/**
 * The drizzle-kit statements an expand / contract pair replaces, read from
 * the text drizzle-kit writes (one change per statement, identifiers quoted).
 */

export type PhasedChange =
  | { kind: 'rename-column'; schema: string; table: string; from: string; to: string }
  | { kind: 'rename-table'; schema: string; from: string; to: string }
  | {
      kind: 'change-column-type';
      schema: string;
      table: string;
      column: string;
      type: string;
      /** The USING expression as written, or null for the plain cast. */
      using: string | null;
    }
  | {
      kind: 'volatile-default';
      schema: string;
      table: string;
      column: string;
      type: string;
      default: string;
      notNull: boolean;
    };

const ident = '"((?:[^"]|"")+)"';
const table = String.raw`(?:${ident}\.)?${ident}`;
const unquote = (name: string | undefined) => (name ?? '').replace(/""/g, '"');

const renameColumn = new RegExp(`^ALTER TABLE ${table} RENAME COLUMN ${ident} TO ${ident};?$`, 'i');
const renameTable = new RegExp(`^ALTER TABLE ${table} RENAME TO ${ident};?$`, 'i');
const setType = new RegExp(
  String.raw`^ALTER TABLE ${table} ALTER COLUMN ${ident} SET DATA TYPE ([\s\S]+?)(?: USING ([\s\S]+?))?;?$`,
  'i',
);
const addColumn = new RegExp(
  String.raw`^ALTER TABLE ${table} ADD COLUMN ${ident} ([\s\S]+?);?$`,
  'i',
);

/** Functions whose value differs per row: a default calling one rewrites the table when added. */
const volatileCall =
  /\b(gen_random_uuid|uuid_generate_v[14]|random|clock_timestamp|nextval|uuid_generate_v7|uuidv7)\s*\(/i;

/** Comment lines above a statement's SQL (a directive, a note). */
export const leadingComments = /^(?:[ \t]*--[^\n]*\n)+/;

/** The change a statement makes, when it is one the phased form covers; null otherwise. */
export function recognise(statement: string): PhasedChange | null {
  const text = statement.replace(leadingComments, '').trim();
  let m = renameColumn.exec(text);
  if (m)
    return {
      kind: 'rename-column',
      schema: unquote(m[1]) || 'public',
      table: unquote(m[2]),
      from: unquote(m[3]),
      to: unquote(m[4]),
    };
  m = renameTable.exec(text);
  if (m)
    return {
      kind: 'rename-table',
      schema: unquote(m[1]) || 'public',
      from: unquote(m[2]),
      to: unquote(m[3]),
    };
  m = setType.exec(text);
  if (m)
    return {
      kind: 'change-column-type',
      schema: unquote(m[1]) || 'public',
      table: unquote(m[2]),
      column: unquote(m[3]),
      type: m[4]!.trim(),
      using: m[5]?.trim() ?? null,
    };
  m = addColumn.exec(text);
  if (m) {
    const definition = readColumnDefinition(m[4]!);
    if (definition && volatileCall.test(definition.default))
      return {
        kind: 'volatile-default',
        schema: unquote(m[1]) || 'public',
        table: unquote(m[2]),
        column: unquote(m[3]),
        ...definition,
      };
  }
  return null;
}

/**
 * `<type> DEFAULT <expr> [NOT NULL]` as drizzle-kit writes a column (NOT NULL
 * may also come first). Anything else (a constraint, generated, identity) is
 * not read: null.
 */
function readColumnDefinition(
  text: string,
): { type: string; default: string; notNull: boolean } | null {
  const m = /^([\s\S]+?) DEFAULT ([\s\S]+?)( NOT NULL)?$/i.exec(text.trim());
  if (!m) return null;
  let type = m[1]!.trim();
  let notNull = m[3] !== undefined;
  if (/ NOT NULL$/i.test(type)) {
    type = type.replace(/ NOT NULL$/i, '');
    notNull = true;
  }
  const rest = `${type} ${m[2]}`;
  if (/\b(PRIMARY KEY|UNIQUE|REFERENCES|CHECK|GENERATED|COLLATE)\b/i.test(rest)) return null;
  return { type, default: m[2]!.trim(), notNull };
}

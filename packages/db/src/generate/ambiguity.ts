import type { Snapshot } from '../drizzle-kit/snapshots.js';

/**
 * Where drizzle-kit would stop and ask "created, or renamed from …?": within one
 * scope (the tables, the columns of a table, the enums, …) something appears
 * while something else disappears. Each such new name needs a decision:
 * `--rename old:new` or `--created new`.
 */
export interface Ambiguity {
  scope: string;
  appeared: string[];
  disappeared: string[];
}

const difference = (a: string[], b: string[]) => a.filter((x) => !b.includes(x));

function scopeAmbiguity(scope: string, before: string[], after: string[]): Ambiguity[] {
  const appeared = difference(after, before);
  const disappeared = difference(before, after);
  return appeared.length > 0 && disappeared.length > 0 ? [{ scope, appeared, disappeared }] : [];
}

/** Table names as users write them: "users", or "schema.table" outside public. */
export const displayTable = (key: string) =>
  key.startsWith('public.') ? key.slice('public.'.length) : key;

export function findAmbiguities(before: Snapshot, after: Snapshot): Ambiguity[] {
  const found: Ambiguity[] = [
    ...scopeAmbiguity('schemas', Object.keys(before.schemas), Object.keys(after.schemas)),
    ...scopeAmbiguity(
      'enums',
      Object.keys(before.enums).map(displayTable),
      Object.keys(after.enums).map(displayTable),
    ),
    ...scopeAmbiguity(
      'sequences',
      Object.keys(before.sequences).map(displayTable),
      Object.keys(after.sequences).map(displayTable),
    ),
    ...scopeAmbiguity(
      'views',
      Object.keys(before.views ?? {}).map(displayTable),
      Object.keys(after.views ?? {}).map(displayTable),
    ),
    ...scopeAmbiguity(
      'tables',
      Object.keys(before.tables).map(displayTable),
      Object.keys(after.tables).map(displayTable),
    ),
  ];
  for (const [key, table] of Object.entries(after.tables)) {
    const old = before.tables[key];
    if (!old) continue;
    const name = displayTable(key);
    found.push(
      ...scopeAmbiguity(
        `columns of ${name}`,
        Object.keys(old.columns),
        Object.keys(table.columns),
      ).map((a) => ({
        ...a,
        appeared: a.appeared.map((c) => `${name}.${c}`),
        disappeared: a.disappeared.map((c) => `${name}.${c}`),
      })),
    );
  }
  return found;
}

import type { Rename } from '../drizzle-kit/renames.js';
import type { Snapshot } from '../drizzle-kit/snapshots.js';
import { JamDbError } from '../errors.js';
import { type Ambiguity, displayTable } from './ambiguity.js';

/**
 * `--rename old:new` turns an ambiguity into a rename: `users:people` for a
 * table, `users.name:full_name` (or `users.name:users.full_name`) for a column,
 * `mood:feeling` for an enum. `--created name` says a new name is new.
 */
export interface Decisions {
  renames: Rename[];
  /** Ambiguities no flag settled. */
  unresolved: Ambiguity[];
}

const splitKey = (name: string) => {
  const parts = name.split('.');
  return parts.length === 1
    ? { schema: 'public', name: parts[0]! }
    : { schema: parts[0]!, name: parts.slice(1).join('.') };
};

export function decide(
  before: Snapshot,
  after: Snapshot,
  ambiguities: Ambiguity[],
  renameFlags: string[],
  createdFlags: string[],
): Decisions {
  const renames: Rename[] = [];
  const settled = new Set<string>(createdFlags);
  for (const flag of renameFlags) {
    const [from, rawTo] = flag.split(':');
    if (!from || !rawTo) {
      throw new JamDbError(
        'usage',
        `--rename ${flag}: expected <old>:<new>, e.g. users.name:full_name or users:people.`,
      );
    }
    const rename = toRename(before, after, from, rawTo);
    renames.push(rename);
    settled.add(
      rename.kind === 'column'
        ? `${displayTable(`${rename.schema}.${rename.table}`)}.${rename.to}`
        : rawTo.split('.').pop()!,
    );
    settled.add(from);
  }
  const unresolved = ambiguities
    .map((a) => ({
      ...a,
      appeared: a.appeared.filter(
        (name) => !settled.has(name) && !settled.has(name.split('.').pop()!),
      ),
      disappeared: a.disappeared.filter((name) => !settled.has(name)),
    }))
    .filter((a) => a.appeared.length > 0 && a.disappeared.length > 0);
  return { renames, unresolved };
}

function toRename(before: Snapshot, after: Snapshot, from: string, rawTo: string): Rename {
  const source = splitKey(from);
  if (`${source.schema}.${source.name}` in before.tables) {
    const to = rawTo.split('.').pop()!;
    if (!(`${source.schema}.${to}` in after.tables)) throw unknownTarget(from, rawTo, 'table');
    return { kind: 'table', schema: source.schema, from: source.name, to };
  }
  if (`${source.schema}.${source.name}` in before.enums) {
    const to = rawTo.split('.').pop()!;
    if (!(`${source.schema}.${to}` in after.enums)) throw unknownTarget(from, rawTo, 'enum');
    return { kind: 'enum', schema: source.schema, from: source.name, to };
  }
  const dot = from.lastIndexOf('.');
  const tableKey = dot > 0 ? from.slice(0, dot) : '';
  const table = splitKey(tableKey);
  const column = from.slice(dot + 1);
  const beforeTable = before.tables[`${table.schema}.${table.name}`];
  if (dot <= 0 || !beforeTable || !(column in beforeTable.columns)) {
    throw new JamDbError(
      'usage',
      `--rename ${from}:${rawTo}: "${from}" is not a table, enum or table.column of the previous schema.`,
      'Name what the last migration has, e.g. --rename users.name:full_name.',
    );
  }
  const to = rawTo.split('.').pop()!;
  return { kind: 'column', schema: table.schema, table: table.name, from: column, to };
}

const unknownTarget = (from: string, to: string, kind: string) =>
  new JamDbError(
    'usage',
    `--rename ${from}:${to}: the new schema has no ${kind} "${to}".`,
    'Check the spelling against your schema.',
  );

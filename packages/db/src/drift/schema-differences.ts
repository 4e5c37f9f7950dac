import type { SchemaFacts } from '../introspect/schema-facts.js';

/**
 * One way the live schema differs from the schema the migrations produce, named
 * by the object it concerns ("column public.users.email"), with what the
 * migrations say and what the database has.
 */
export interface SchemaDifference {
  object: string;
  kind: 'missing' | 'unexpected' | 'changed' | 'renamed';
  /** The definition the migrations produce; null when they do not create the object. */
  expected: string | null;
  /** The definition in the database; null when the database lacks the object. */
  found: string | null;
  /** For `renamed`: the object the database has instead, with the same definition. */
  foundAs?: string;
  /** For a missing or unexpected table: the columns, constraints, indexes … that go with it. */
  includes?: string[];
}

/**
 * Compares two sets of schema facts. A table that is missing or extra is one
 * difference with its parts folded in, not a line per column; an index or
 * constraint whose definition is found under another name is a rename.
 */
export function compareSchemas(expected: SchemaFacts, actual: SchemaFacts): SchemaDifference[] {
  const missing = [...expected.keys()].filter((key) => !actual.has(key));
  const unexpected = [...actual.keys()].filter((key) => !expected.has(key));
  const differences: SchemaDifference[] = [];

  for (const key of expected.keys()) {
    const found = actual.get(key);
    if (found !== undefined && found !== expected.get(key)) {
      differences.push({ object: key, kind: 'changed', expected: expected.get(key)!, found });
    }
  }
  const renamedFrom = new Set<string>();
  const renamedTo = new Set<string>();
  for (const key of missing) {
    const twin = unexpected.find(
      (other) =>
        !renamedTo.has(other) &&
        sameObjectUnderAnotherName(key, expected.get(key)!, other, actual.get(other)!),
    );
    if (!twin) continue;
    renamedFrom.add(key);
    renamedTo.add(twin);
    differences.push({
      object: key,
      kind: 'renamed',
      expected: expected.get(key)!,
      found: actual.get(twin)!,
      foundAs: twin,
    });
  }
  differences.push(
    ...foldTables(
      missing.filter((key) => !renamedFrom.has(key)),
      expected,
      (object, definition) => ({ object, kind: 'missing', expected: definition, found: null }),
    ),
    ...foldTables(
      unexpected.filter((key) => !renamedTo.has(key)),
      actual,
      (object, definition) => ({ object, kind: 'unexpected', expected: null, found: definition }),
    ),
  );
  return differences.sort(
    (a, b) => a.object.localeCompare(b.object) || a.kind.localeCompare(b.kind),
  );
}

/** One line a person reads: the object, what the migrations say, what was found. */
export function describeDifference(difference: SchemaDifference): string {
  const { object, expected, found } = difference;
  // A plain table's definition is just "table"; saying so again adds nothing.
  const shown = (definition: string | null) =>
    definition && definition !== 'table' ? ` (${definition})` : '';
  const parts = difference.includes?.length ? `, with ${summarize(difference.includes)}` : '';
  switch (difference.kind) {
    case 'missing':
      return `${object}: the migrations create it${shown(expected)}${parts}; the database lacks it`;
    case 'unexpected':
      return `${object}: the database has it${shown(found)}${parts}; the migrations do not create it`;
    case 'changed':
      return `${object}: the migrations say ${expected}; the database has ${found}`;
    case 'renamed':
      return `${object}: the database has it under another name, ${difference.foundAs}`;
  }
}

/** "3 columns, 1 index" */
function summarize(keys: string[]): string {
  const counts = new Map<string, number>();
  for (const key of keys) {
    const kind = kindOf(key);
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return [...counts]
    .map(([kind, count]) => `${count} ${kind}${count === 1 ? '' : kind.endsWith('x') ? 'es' : 's'}`)
    .join(', ');
}

/** The kinds readSchemaFacts names, longest first so "materialized view" wins over "view". */
const kinds = [
  'materialized view',
  'constraint',
  'extension',
  'function',
  'sequence',
  'trigger',
  'column',
  'policy',
  'schema',
  'index',
  'table',
  'enum',
  'view',
];
const kindOf = (key: string) =>
  kinds.find((kind) => key.startsWith(`${kind} `)) ?? key.split(' ')[0]!;
const nameOf = (key: string) => key.slice(kindOf(key).length + 1);
const lastPart = (name: string) => name.slice(name.lastIndexOf('.') + 1);
const ownerOf = (name: string) => name.slice(0, name.lastIndexOf('.'));

/**
 * Indexes, constraints and triggers: the same kind on the same table with the
 * same definition once the name is taken out.
 */
function sameObjectUnderAnotherName(
  key: string,
  definition: string,
  other: string,
  otherDefinition: string,
): boolean {
  const kind = kindOf(key);
  if (kind !== kindOf(other) || !['index', 'constraint', 'trigger'].includes(kind)) return false;
  const name = nameOf(key);
  const otherName = nameOf(other);
  if (kind === 'constraint') {
    return ownerOf(name) === ownerOf(otherName) && definition === otherDefinition;
  }
  const withoutName = (text: string, objectName: string) =>
    text.split(quoteIfNeeded(lastPart(objectName))).join('<name>');
  return (
    definition !== '' && withoutName(definition, name) === withoutName(otherDefinition, otherName)
  );
}

const quoteIfNeeded = (identifier: string) =>
  /^[a-z_][a-z0-9_$]*$/.test(identifier) ? identifier : `"${identifier.replace(/"/g, '""')}"`;

/** Parts of a table: keys "column s.t.x", "constraint s.t.x", …; an index by its ON clause. */
function belongsToTable(key: string, definition: string, table: string): boolean {
  const kind = kindOf(key);
  if (kind === 'index') {
    const [schema, name] = table.split('.') as [string, string];
    const on = ` ON ${quoteIfNeeded(schema)}.${quoteIfNeeded(name)} `;
    return definition.includes(on) || definition.includes(` ON ONLY ${on.slice(4)}`);
  }
  return (
    ['column', 'constraint', 'trigger', 'policy'].includes(kind) && ownerOf(nameOf(key)) === table
  );
}

function foldTables(
  keys: string[],
  facts: SchemaFacts,
  make: (object: string, definition: string) => SchemaDifference,
): SchemaDifference[] {
  const tables = keys.filter((key) => kindOf(key) === 'table').map(nameOf);
  const folded = new Set<string>();
  const differences: SchemaDifference[] = [];
  for (const table of tables) {
    const parts = keys.filter(
      (key) => kindOf(key) !== 'table' && belongsToTable(key, facts.get(key)!, table),
    );
    for (const part of parts) folded.add(part);
    differences.push({ ...make(`table ${table}`, facts.get(`table ${table}`)!), includes: parts });
  }
  for (const key of keys) {
    if (kindOf(key) !== 'table' && !folded.has(key)) differences.push(make(key, facts.get(key)!));
  }
  return differences;
}

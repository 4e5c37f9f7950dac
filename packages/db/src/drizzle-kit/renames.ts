import { type Snapshot, type SnapshotTable, tableKey } from './snapshots.js';

/**
 * Renames an up script performs. drizzle-kit writes every rename it settled
 * (after asking at generate time) as a RENAME statement, and hand-written
 * migrations do the same, so the up script itself says what was renamed: the
 * down script needs no prompt to know it.
 */
export type Rename =
  | { kind: 'table'; schema: string; from: string; to: string }
  | { kind: 'column'; schema: string; table: string; from: string; to: string }
  | { kind: 'enum-value'; schema: string; type: string; from: string; to: string }
  | { kind: 'enum'; schema: string; from: string; to: string }
  | { kind: 'index'; schema: string; from: string; to: string }
  | { kind: 'constraint'; schema: string; table: string; from: string; to: string }
  | { kind: 'schema'; from: string; to: string }
  | { kind: 'sequence' | 'view' | 'materialized view'; schema: string; from: string; to: string };

const identifier = String.raw`(?:"((?:[^"]|"")+)"|([A-Za-z_][\w$]*))`;
const qualified = String.raw`(?:${identifier}\s*\.\s*)?${identifier}`;
const literal = `'((?:[^']|'')*)'`;

/** Reads `"schema"."name"` (either part optional, quoted or not) from a match's groups. */
function name(groups: (string | undefined)[], at: number): { schema: string; name: string } {
  const schema = groups[at] ?? groups[at + 1];
  const bare = groups[at + 2] ?? groups[at + 3] ?? '';
  return { schema: schema?.replace(/""/g, '"') ?? 'public', name: bare.replace(/""/g, '"') };
}
const single = (groups: (string | undefined)[], at: number) =>
  (groups[at] ?? groups[at + 1] ?? '').replace(/""/g, '"');

const patterns: [RegExp, (g: (string | undefined)[]) => Rename][] = [
  [
    new RegExp(
      String.raw`^alter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?${qualified}\s+rename\s+column\s+${identifier}\s+to\s+${identifier}`,
      'i',
    ),
    (g) => {
      const table = name(g, 1);
      return {
        kind: 'column',
        schema: table.schema,
        table: table.name,
        from: single(g, 5),
        to: single(g, 7),
      };
    },
  ],
  [
    new RegExp(
      String.raw`^alter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?${qualified}\s+rename\s+constraint\s+${identifier}\s+to\s+${identifier}`,
      'i',
    ),
    (g) => {
      const table = name(g, 1);
      return {
        kind: 'constraint',
        schema: table.schema,
        table: table.name,
        from: single(g, 5),
        to: single(g, 7),
      };
    },
  ],
  [
    new RegExp(
      String.raw`^alter\s+table\s+(?:if\s+exists\s+)?${qualified}\s+rename\s+to\s+${identifier}`,
      'i',
    ),
    (g) => {
      const table = name(g, 1);
      return { kind: 'table', schema: table.schema, from: table.name, to: single(g, 5) };
    },
  ],
  [
    new RegExp(
      String.raw`^alter\s+type\s+${qualified}\s+rename\s+value\s+${literal}\s+to\s+${literal}`,
      'i',
    ),
    (g) => {
      const type = name(g, 1);
      return {
        kind: 'enum-value',
        schema: type.schema,
        type: type.name,
        from: (g[5] ?? '').replace(/''/g, "'"),
        to: (g[6] ?? '').replace(/''/g, "'"),
      };
    },
  ],
  [
    new RegExp(String.raw`^alter\s+type\s+${qualified}\s+rename\s+to\s+${identifier}`, 'i'),
    (g) => {
      const type = name(g, 1);
      return { kind: 'enum', schema: type.schema, from: type.name, to: single(g, 5) };
    },
  ],
  [
    new RegExp(
      String.raw`^alter\s+index\s+(?:if\s+exists\s+)?${qualified}\s+rename\s+to\s+${identifier}`,
      'i',
    ),
    (g) => {
      const index = name(g, 1);
      return { kind: 'index', schema: index.schema, from: index.name, to: single(g, 5) };
    },
  ],
  [
    new RegExp(String.raw`^alter\s+schema\s+${identifier}\s+rename\s+to\s+${identifier}`, 'i'),
    (g) => ({ kind: 'schema', from: single(g, 1), to: single(g, 3) }),
  ],
  [
    new RegExp(
      String.raw`^alter\s+(sequence|view|materialized\s+view)\s+(?:if\s+exists\s+)?${qualified}\s+rename\s+to\s+${identifier}`,
      'i',
    ),
    (g) => {
      const object = name(g, 2);
      const kind = g[1]!.toLowerCase().replace(/\s+/, ' ') as
        | 'sequence'
        | 'view'
        | 'materialized view';
      return { kind, schema: object.schema, from: object.name, to: single(g, 6) };
    },
  ],
];

const withoutComments = (statement: string) =>
  statement
    .split('\n')
    .filter((line) => !line.trim().startsWith('--'))
    .join('\n')
    .trim();

export function parseRename(statement: string): Rename | null {
  const text = withoutComments(statement);
  for (const [pattern, build] of patterns) {
    const match = pattern.exec(text);
    if (match) return build([...match]);
  }
  return null;
}

const quote = (text: string) => `"${text.replace(/"/g, '""')}"`;
const qualify = (schema: string, text: string) =>
  schema === 'public' ? quote(text) : `${quote(schema)}.${quote(text)}`;

/** The statement that undoes a rename. */
export function reverseRenameStatement(rename: Rename): string {
  switch (rename.kind) {
    case 'table':
      return `ALTER TABLE ${qualify(rename.schema, rename.to)} RENAME TO ${quote(rename.from)};`;
    case 'column':
      return `ALTER TABLE ${qualify(rename.schema, rename.table)} RENAME COLUMN ${quote(rename.to)} TO ${quote(rename.from)};`;
    case 'constraint':
      return `ALTER TABLE ${qualify(rename.schema, rename.table)} RENAME CONSTRAINT ${quote(rename.to)} TO ${quote(rename.from)};`;
    case 'enum-value':
      return `ALTER TYPE ${qualify(rename.schema, rename.type)} RENAME VALUE '${rename.to.replace(/'/g, "''")}' TO '${rename.from.replace(/'/g, "''")}';`;
    case 'enum':
      return `ALTER TYPE ${qualify(rename.schema, rename.to)} RENAME TO ${quote(rename.from)};`;
    case 'index':
      return `ALTER INDEX ${qualify(rename.schema, rename.to)} RENAME TO ${quote(rename.from)};`;
    case 'schema':
      return `ALTER SCHEMA ${quote(rename.to)} RENAME TO ${quote(rename.from)};`;
    case 'sequence':
    case 'view':
    case 'materialized view':
      return `ALTER ${rename.kind.toUpperCase()} ${qualify(rename.schema, rename.to)} RENAME TO ${quote(rename.from)};`;
  }
}

const renameKeys = <T>(
  record: Record<string, T>,
  from: string,
  to: string,
  rename: (value: T) => void,
) => {
  const value = record[from];
  if (value === undefined) return;
  delete record[from];
  rename(value);
  record[to] = value;
};

const replaceIdentifier = (text: string, from: string, to: string) =>
  text.split(quote(from)).join(quote(to));

/** Rewrites the snapshot so it reads as if `rename` had not happened (mutates). */
export function undoRenameInSnapshot(snapshot: Snapshot, rename: Rename): void {
  // Schemas, sequences and views renamed are undone by their statement alone.
  if (rename.kind === 'schema' || rename.kind === 'sequence' || rename.kind.endsWith('view'))
    return;
  const tablesOfSchema = Object.values(snapshot.tables).filter(
    (t) => (t.schema || 'public') === rename.schema,
  );
  switch (rename.kind) {
    case 'table': {
      renameKeys(
        snapshot.tables,
        tableKey(rename.schema, rename.to),
        tableKey(rename.schema, rename.from),
        (t) => {
          t.name = rename.from;
        },
      );
      for (const table of Object.values(snapshot.tables)) {
        for (const fk of Object.values(table.foreignKeys)) {
          if (fk.tableFrom === rename.to && (table.schema || 'public') === rename.schema)
            fk.tableFrom = rename.from;
          if (fk.tableTo === rename.to && (fk.schemaTo || 'public') === rename.schema)
            fk.tableTo = rename.from;
        }
        for (const check of Object.values(table.checkConstraints ?? {})) {
          check.value = replaceIdentifier(check.value, rename.to, rename.from);
        }
      }
      return;
    }
    case 'column': {
      const table = snapshot.tables[tableKey(rename.schema, rename.table)];
      if (!table) return;
      undoColumnRename(snapshot, table, rename.from, rename.to);
      return;
    }
    case 'constraint': {
      const table = snapshot.tables[tableKey(rename.schema, rename.table)];
      if (!table) return;
      for (const group of [
        table.foreignKeys,
        table.compositePrimaryKeys,
        table.uniqueConstraints,
        table.checkConstraints ?? {},
      ]) {
        renameKeys(group as Record<string, { name: string }>, rename.to, rename.from, (c) => {
          c.name = rename.from;
        });
      }
      return;
    }
    case 'index':
      for (const table of tablesOfSchema) {
        renameKeys(table.indexes, rename.to, rename.from, (index) => {
          index.name = rename.from;
        });
      }
      return;
    case 'enum-value': {
      const type = snapshot.enums[tableKey(rename.schema, rename.type)];
      if (type) type.values = type.values.map((v) => (v === rename.to ? rename.from : v));
      return;
    }
    case 'enum': {
      renameKeys(
        snapshot.enums,
        tableKey(rename.schema, rename.to),
        tableKey(rename.schema, rename.from),
        (e) => {
          e.name = rename.from;
        },
      );
      for (const table of Object.values(snapshot.tables)) {
        for (const column of Object.values(table.columns)) {
          if (column.type === rename.to && (column.typeSchema || 'public') === rename.schema)
            column.type = rename.from;
        }
      }
      return;
    }
  }
}

function undoColumnRename(
  snapshot: Snapshot,
  table: SnapshotTable,
  from: string,
  to: string,
): void {
  renameKeys(table.columns, to, from, (column) => {
    column.name = from;
  });
  for (const index of Object.values(table.indexes)) {
    for (const column of index.columns) {
      if (!column.isExpression && column.expression === to) column.expression = from;
      else if (column.isExpression)
        column.expression = replaceIdentifier(column.expression, to, from);
    }
  }
  const swap = (names: string[]) => names.map((n) => (n === to ? from : n));
  for (const fk of Object.values(table.foreignKeys)) fk.columnsFrom = swap(fk.columnsFrom);
  for (const pk of Object.values(table.compositePrimaryKeys)) pk.columns = swap(pk.columns);
  for (const unique of Object.values(table.uniqueConstraints))
    unique.columns = swap(unique.columns);
  for (const check of Object.values(table.checkConstraints ?? {}))
    check.value = replaceIdentifier(check.value, to, from);
  for (const other of Object.values(snapshot.tables)) {
    for (const fk of Object.values(other.foreignKeys)) {
      if (fk.tableTo === table.name && (fk.schemaTo || 'public') === (table.schema || 'public'))
        fk.columnsTo = swap(fk.columnsTo);
    }
  }
}

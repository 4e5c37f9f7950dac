import type { ObjectHistory } from './object-history.js';

/**
 * Down statements read from the up script itself, for what drizzle-kit's
 * snapshots do not model (functions, triggers, extensions, comments, data
 * changes) and for hand-written migrations whose snapshot says nothing.
 */
export interface SqlInverse {
  /** Statements that undo the up statement, in the order to run them. */
  statements: string[];
  /** Why no inverse exists; the down script then needs a person. */
  manual?: string;
  /** What the up statement did that the down cannot bring back (data changes). */
  note?: string;
}

export const strip = (statement: string) =>
  statement
    .split('\n')
    .filter((line) => !line.trim().startsWith('--'))
    .join('\n')
    .trim()
    .replace(/;\s*$/, '');

const ident = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)`;
const qname = String.raw`(?:${ident}\s*\.\s*)?${ident}`;

/** Statement kinds drizzle-kit's snapshots never hold, found in generated and hand-written migrations alike. */
export function isUnmodeled(statement: string): boolean {
  return (
    /^(create(\s+or\s+replace)?\s+(function|procedure|trigger|extension|rule)|drop\s+(function|procedure|trigger)|comment\s+on|insert\s|update\s|delete\s|do\s|grant\s|revoke\s|select\s)/i.test(
      strip(statement),
    ) || isWithoutSchemaEffect(statement)
  );
}

/** Statements that change no schema object (maintenance, session settings, transaction control): nothing to undo. */
export function isWithoutSchemaEffect(statement: string): boolean {
  return /^(analyze|analyse|vacuum|reindex|cluster|checkpoint|refresh\s+materialized\s+view|set|reset|notify|listen|unlisten|discard|lock|begin|start\s+transaction|commit|end|rollback|savepoint|release|select)\b/i.test(
    strip(statement),
  );
}

/** What a rule knows besides the statement: tables created earlier in the migration, objects of earlier migrations. */
export interface InverseContext {
  createdTables: Set<string>;
  history?: ObjectHistory | undefined;
  /** Tables the schema held before the migration (from its snapshot), by bare name. */
  tablesBefore?: Set<string> | undefined;
}

type Rule = [RegExp, (match: RegExpExecArray, sql: string, context: InverseContext) => SqlInverse];

const asReplacement = (definition: string) =>
  `${definition.replace(/^create\s+(?:or\s+replace\s+)?/i, 'CREATE OR REPLACE ')};`;

const lastName = (qualifiedName: string) => qualifiedName.replace(/"/g, '').split('.').pop()!;
const re = (source: string) => new RegExp(source, 'is');

/** One rule per kind of up statement, first match wins; the last rule says no inverse is known. */
const rules: Rule[] = [
  [
    re(String.raw`^create\s+(?:or\s+replace\s+)?(function|procedure)\s+(${qname})\s*\(([^)]*)\)`),
    (m, _sql, { history }) => {
      // A replaced function gets its previous definition back; only a new one is dropped.
      const previous = history?.definition('function', m[2]!);
      if (previous) return { statements: [asReplacement(previous)] };
      return {
        statements: [`DROP ${m[1]!.toUpperCase()} IF EXISTS ${m[2]}(${argumentTypes(m[3]!)});`],
      };
    },
  ],
  [
    re(String.raw`^drop\s+(function|procedure)\s+(?:if\s+exists\s+)?(${qname})`),
    (m, sql, { history }) => {
      const previous = history?.definition('function', m[2]!);
      if (previous) return { statements: [asReplacement(previous)] };
      return /\sif\s+exists\s/i.test(sql)
        ? { statements: [] }
        : { statements: [], manual: `the definition of dropped ${m[1]} ${m[2]} is unknown` };
    },
  ],
  [
    re(
      String.raw`^create\s+(?:or\s+replace\s+)?(?:constraint\s+)?trigger\s+(${ident})\s+.*?\s+on\s+(${qname})`,
    ),
    (m, _sql, { history }) => {
      const previous = history?.definition('trigger', m[1]!);
      return {
        statements: [
          `DROP TRIGGER IF EXISTS ${m[1]} ON ${m[2]};`,
          ...(previous ? [`${previous};`] : []),
        ],
      };
    },
  ],
  [
    re(String.raw`^drop\s+trigger\s+(?:if\s+exists\s+)?(${ident})\s+on\s+(${qname})`),
    (m, sql, { history }) => {
      const previous = history?.definition('trigger', m[1]!);
      if (previous) return { statements: [`${previous};`] };
      return /\sif\s+exists\s/i.test(sql)
        ? { statements: [] }
        : { statements: [], manual: `the definition of dropped trigger ${m[1]} is unknown` };
    },
  ],
  [
    re(String.raw`^create\s+extension\s+(if\s+not\s+exists\s+)?(${ident})`),
    (m, _sql, { history }) =>
      m[1] && history?.has('extension', m[2]!)
        ? { statements: [] }
        : { statements: [`DROP EXTENSION IF EXISTS ${m[2]};`] },
  ],
  [
    re(
      String.raw`^create\s+(?:or\s+replace\s+)?rule\s+(${ident})\s+as\s+on\s+\w+\s+to\s+(${qname})`,
    ),
    (m) => ({ statements: [`DROP RULE IF EXISTS ${m[1]} ON ${m[2]};`] }),
  ],
  [
    /^comment\s+on/i,
    () => ({ statements: [], note: 'a COMMENT ON is not restored to its earlier text' }),
  ],
  [/^(select|grant|revoke)\s/i, () => ({ statements: [] })],
  [
    /^(analyze|analyse|vacuum|reindex|cluster|checkpoint|refresh\s+materialized\s+view|set|reset|notify|listen|unlisten|discard|lock|begin|start\s+transaction|commit|end|rollback|savepoint|release)\b/i,
    () => ({ statements: [] }),
  ],
  [
    re(String.raw`^(?:insert\s+into|update|delete\s+from)\s+(?:only\s+)?(${qname})`),
    (m, sql, { createdTables }) =>
      createdTables.has(lastName(m[1]!))
        ? { statements: [] }
        : { statements: [], note: `data changed by "${quoteForNote(sql)}" is not restored` },
  ],
  [/^do\s/i, () => ({ statements: [], manual: 'a DO block cannot be undone automatically' })],
  [
    re(String.raw`^create\s+(?:unlogged\s+)?table\s+(if\s+not\s+exists\s+)?(${qname})`),
    (m, _sql, { createdTables, history, tablesBefore }) => {
      // A down script drops only what its migration created, never a table that was already there.
      const existed = m[1] && (history?.has('table', m[2]!) || tablesBefore?.has(lastName(m[2]!)));
      if (existed) return { statements: [] };
      createdTables.add(lastName(m[2]!));
      return { statements: [`DROP TABLE IF EXISTS ${m[2]};`] };
    },
  ],
  [
    // Plain DROP INDEX even for a concurrent build: each rollback step runs in a transaction.
    re(
      String.raw`^create\s+(?:unique\s+)?index\s+(?:concurrently\s+)?(if\s+not\s+exists\s+)?(${ident})`,
    ),
    (m, _sql, { history }) =>
      m[1] && history?.has('index', m[2]!)
        ? { statements: [] }
        : { statements: [`DROP INDEX IF EXISTS ${m[2]};`] },
  ],
  [
    re(
      String.raw`^create\s+(?:or\s+replace\s+)?(materialized\s+)?view\s+(?:if\s+not\s+exists\s+)?(${qname})`,
    ),
    (m) => ({ statements: [`DROP ${m[1] ? 'MATERIALIZED ' : ''}VIEW IF EXISTS ${m[2]};`] }),
  ],
  [
    re(String.raw`^create\s+type\s+(${qname})`),
    (m) => ({ statements: [`DROP TYPE IF EXISTS ${m[1]};`] }),
  ],
  [
    re(String.raw`^create\s+sequence\s+(?:if\s+not\s+exists\s+)?(${qname})`),
    (m) => ({ statements: [`DROP SEQUENCE IF EXISTS ${m[1]};`] }),
  ],
  [
    re(String.raw`^create\s+schema\s+(?:if\s+not\s+exists\s+)?(${ident})`),
    (m) => ({ statements: [`DROP SCHEMA IF EXISTS ${m[1]};`] }),
  ],
  [
    re(
      String.raw`^alter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?(${qname})\s+add\s+column\s+(?:if\s+not\s+exists\s+)?(${ident})`,
    ),
    (m) => ({ statements: [`ALTER TABLE ${m[1]} DROP COLUMN IF EXISTS ${m[2]};`] }),
  ],
  [
    re(
      String.raw`^alter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?(${qname})\s+add\s+constraint\s+(${ident})`,
    ),
    (m) => ({ statements: [`ALTER TABLE ${m[1]} DROP CONSTRAINT IF EXISTS ${m[2]};`] }),
  ],
  [
    re(
      String.raw`^alter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?(${qname})\s+enable\s+row\s+level\s+security`,
    ),
    (m) => ({ statements: [`ALTER TABLE ${m[1]} DISABLE ROW LEVEL SECURITY;`] }),
  ],
  [
    re(String.raw`^alter\s+type\s+(${qname})\s+add\s+value`),
    (m, sql) => ({
      statements: [],
      manual: `PostgreSQL cannot remove a value from enum ${m[1]} (${sql.slice(0, 60)})`,
    }),
  ],
  [
    /^/,
    (_m, sql) => ({
      statements: [],
      manual: `no inverse is known for: ${sql.split('\n')[0]!.slice(0, 100)}`,
    }),
  ],
];

/** The inverse of one up statement, or why there is none. */
export function invertStatement(statement: string, context: InverseContext): SqlInverse {
  const sql = strip(statement);
  for (const [pattern, invert] of rules) {
    const match = pattern.exec(sql);
    if (match) return invert(match, sql, context);
  }
  return { statements: [] };
}

/** The argument types of a function signature, which DROP FUNCTION needs (names and defaults dropped). */
function argumentTypes(signature: string): string {
  return signature
    .split(',')
    .map((arg) =>
      arg
        .trim()
        .replace(/\s+default\s+.*$/is, '')
        .replace(/^(in|out|inout|variadic)\s+/i, ''),
    )
    .filter(Boolean)
    .map((arg) => {
      const [first, ...rest] = arg.split(/\s+/);
      return rest.length > 0 && !isTypeWord(first!) ? rest.join(' ') : arg;
    })
    .join(', ');
}

const typeWords = new Set([
  'int',
  'integer',
  'text',
  'bigint',
  'smallint',
  'uuid',
  'boolean',
  'jsonb',
  'json',
  'numeric',
  'timestamp',
  'timestamptz',
  'date',
  'trigger',
  'void',
  'record',
  'varchar',
  'real',
  'double',
]);
const isTypeWord = (word: string) => typeWords.has(word.toLowerCase().replace(/"/g, ''));

/**
 * What an up script does outside the schema the catalogs describe, and how a
 * down script undoes it: privileges granted are revoked (first, before what
 * they were granted on goes), roles created are dropped (last), and data a
 * migration changed in tables it did not create is noted as not restored.
 */
export interface SqlOnlyEffects {
  first: string[];
  last: string[];
  notes: string[];
}

export function sqlOnlyEffects(statements: string[]): SqlOnlyEffects {
  const effects: SqlOnlyEffects = { first: [], last: [], notes: [] };
  const created = new Set<string>();
  for (const statement of statements) {
    const sql = strip(statement);
    const table = re(
      String.raw`^create\s+(?:unlogged\s+)?table\s+(?:if\s+not\s+exists\s+)?(${qname})`,
    ).exec(sql);
    if (table) created.add(lastName(table[1]!));
    const revoke = revokeOf(sql);
    if (revoke) effects.first.unshift(revoke);
    const role = re(String.raw`^create\s+(?:role|user)\s+(${ident})`).exec(sql);
    if (role) effects.last.unshift(`DROP ROLE IF EXISTS ${role[1]};`);
    // Domains, composite and range types: the catalog diff reads enums only.
    const domain = re(String.raw`^create\s+domain\s+(${qname})`).exec(sql);
    if (domain) effects.last.unshift(`DROP DOMAIN IF EXISTS ${domain[1]};`);
    const type = re(String.raw`^create\s+type\s+(${qname})\s+as\s+(\(|range\b)`).exec(sql);
    if (type) effects.last.unshift(`DROP TYPE IF EXISTS ${type[1]};`);
    const note = dataChangeNote(sql, created);
    if (note) effects.notes.push(note);
    if (/^comment\s+on/i.test(sql))
      effects.notes.push('a COMMENT ON is not restored to its earlier text');
  }
  return effects;
}

function revokeOf(sql: string): string | null {
  const grant = re(
    String.raw`^(alter\s+default\s+privileges\s+.*?\s)?grant\s+(.+?)\s+to\s+(.+?)(?:\s+with\s+(?:grant|admin)\s+option)?$`,
  ).exec(sql);
  if (!grant) return null;
  return `${grant[1] ?? ''}REVOKE ${grant[2]} FROM ${grant[3]};`;
}

/** One line for the script's header: the statement's start, never a line break (the note is a comment). */
export const quoteForNote = (sql: string) => {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > 60 ? `${flat.slice(0, 60)}…` : flat;
};

function dataChangeNote(sql: string, created: Set<string>): string | null {
  const change = re(
    String.raw`^(?:insert\s+into|update|delete\s+from)\s+(?:only\s+)?(${qname})`,
  ).exec(sql);
  if (!change || created.has(lastName(change[1]!))) return null;
  return `data changed by "${quoteForNote(sql)}" is not restored`;
}

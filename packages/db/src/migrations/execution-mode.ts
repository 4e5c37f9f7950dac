import type { Migration } from '../drizzle-kit/migration-folder.js';

/**
 * How a migration must run. Most run inside the run's shared transaction. Some
 * statements PostgreSQL refuses inside a transaction block; a migration holding
 * one runs alone, outside any transaction. `ALTER TYPE … ADD VALUE` may run in a
 * transaction (PostgreSQL 12+), but the new value cannot be used before that
 * transaction commits: a migration that uses a value it adds runs outside a
 * transaction, and the runner commits before a later migration that uses it.
 */
export type ExecutionMode =
  | { kind: 'shared-transaction' }
  | { kind: 'no-transaction'; reason: string }
  /** The file holds its own BEGIN/COMMIT: it runs in segments cut there (see segments.ts). */
  | { kind: 'segments'; reason: string };

/** A migration can ask for this explicitly with this line anywhere in its file. */
export const noTransactionMarker = '-- jam-db:no-transaction';

const outsideTransaction: [RegExp, string][] = [
  [/^create\s+(unique\s+)?index\s+concurrently\b/, 'CREATE INDEX CONCURRENTLY'],
  [/^drop\s+index\s+concurrently\b/, 'DROP INDEX CONCURRENTLY'],
  [/^reindex\b.*\bconcurrently\b/, 'REINDEX CONCURRENTLY'],
  [/^alter\s+table\b.*\bdetach\s+partition\b.*\bconcurrently\b/, 'DETACH PARTITION CONCURRENTLY'],
  [/^vacuum\b/, 'VACUUM'],
  [/^(create|drop)\s+database\b/, 'CREATE/DROP DATABASE'],
  [/^(create|drop)\s+tablespace\b/, 'CREATE/DROP TABLESPACE'],
  [/^alter\s+system\b/, 'ALTER SYSTEM'],
];

const addEnumValue =
  /^alter\s+type\s+("[^"]+"(\."[^"]+")?|\S+)\s+add\s+value\s+(if\s+not\s+exists\s+)?'((?:[^']|'')*)'/;

/** The statement's text with comments dropped and white space folded, lower-cased. */
const normalise = (statement: string): string =>
  statement
    .split('\n')
    .filter((line) => !line.trim().startsWith('--'))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();

/** What PostgreSQL refuses to run inside a transaction block, named, or null when the statement may run in one. */
export function refusedInTransaction(statement: string): string | null {
  const normalised = normalise(statement);
  return outsideTransaction.find(([pattern]) => pattern.test(normalised))?.[1] ?? null;
}

export function executionModeOf(migration: Migration): ExecutionMode {
  if (migration.sql.includes(noTransactionMarker)) {
    return { kind: 'no-transaction', reason: `it is marked "${noTransactionMarker}"` };
  }
  for (const statement of migration.statements) {
    const refused = refusedInTransaction(statement);
    if (refused) return { kind: 'no-transaction', reason: `it holds ${refused}` };
  }
  const statements = migration.statements.map(normalise);
  for (const [position, statement] of statements.entries()) {
    const added = addEnumValue.exec(statement);
    if (!added) continue;
    const value = `'${added[4]}'`;
    if (statements.slice(position + 1).some((later) => later.includes(value))) {
      return { kind: 'no-transaction', reason: `it adds enum value ${value} and uses it` };
    }
  }
  return { kind: 'shared-transaction' };
}

/** The enum values a migration adds, quoted as SQL literals ('value'). */
export function addedEnumValues(migration: Migration): string[] {
  return migration.statements
    .map((statement) => addEnumValue.exec(normalise(statement)))
    .filter((match) => match !== null)
    .map((match) => `'${match[4]}'`);
}

/** Whether a migration's SQL mentions any of these literals (a cheap, cautious test). */
export function mentionsAny(migration: Migration, literals: string[]): boolean {
  if (literals.length === 0) return false;
  const text = migration.statements.map(normalise).join(' ');
  return literals.some((literal) => text.includes(literal));
}

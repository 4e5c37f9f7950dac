import type { Migration } from '../drizzle-kit/migration-folder.js';
import { executionModeOf, refusedInTransaction } from '../migrations/execution-mode.js';
import { cutSegments } from '../migrations/segments.js';
import { isTransactionBoundary, type TransactionControl } from '../sql/transaction-control.js';
import { type Rule, rules } from './rules.js';

/** A statement of a migration as lint read it. */
export interface ReadStatement {
  text: string;
  /** Its position in the migration, counted from 0. */
  index: number;
  control: TransactionControl | null;
  /** The parser sees CONCURRENTLY (an index build or drop, REINDEX). */
  concurrent: boolean;
}

/**
 * Findings about transactions, judged by the runner's own plan for the file
 * (src/migrations/segments.ts): a statement the runner recognises as refused in
 * a transaction block runs alone, outside any transaction, even after the
 * file's own COMMIT or between its BEGIN and COMMIT, so only a CONCURRENTLY
 * statement it does not recognise can end up inside one. A file's own COMMIT
 * makes the runner cut it into segments (a warning); a ROLLBACK or two-phase
 * commit makes it refuse the file (an error).
 */
export function transactionFindings(
  migration: Migration,
  statements: ReadStatement[],
): { rule: Rule; statement: ReadStatement }[] {
  const found: { rule: Rule; statement: ReadStatement }[] = [];
  for (const statement of statements) {
    const kind = statement.control?.kind;
    if (kind === 'commit') found.push({ rule: rules.commitInMigration, statement });
    if (kind === 'rollback' || kind === 'two-phase')
      found.push({ rule: rules.rollbackInMigration, statement });
  }
  const inputs = statements.map((s) => ({
    control: s.control,
    refused: s.control ? null : refusedInTransaction(s.text),
  }));
  // As planMigration decides: outside a transaction, each statement is a segment of its own.
  const onePerStatement =
    executionModeOf(migration).kind === 'no-transaction' ||
    (!statements.some((s) => isTransactionBoundary(s.control)) &&
      inputs.some((s) => s.refused !== null));
  for (const segment of cutSegments(inputs, onePerStatement)) {
    if (!segment.transactional) continue;
    for (const index of segment.statements) {
      const statement = statements[index]!;
      if (statement.concurrent) found.push({ rule: rules.concurrentlyInTransaction, statement });
    }
  }
  return found;
}

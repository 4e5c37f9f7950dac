import { executionModeOf } from '../migrations/execution-mode.js';
import type { Migration } from '../migrations/journal.js';
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

/** Whether jam-db's runner runs this statement on its own, outside any transaction. */
const runnerRunsAlone = (text: string): boolean =>
  executionModeOf({ tag: '', sql: text, statements: [text] } as Migration).kind ===
  'no-transaction';

/**
 * Findings about transactions, judged the way jam-db's runner runs the
 * migration: a statement PostgreSQL refuses in a transaction block, once the
 * runner recognises it, always runs alone and outside any transaction, even
 * after the file's own COMMIT or between its BEGIN and COMMIT. The runner cuts a
 * file with its own BEGIN/COMMIT into segments, committed and recorded one by
 * one; such a file is worth a warning, and a ROLLBACK (which the runner
 * refuses) an error.
 */
export function transactionFindings(
  migration: Migration,
  statements: ReadStatement[],
): { rule: Rule; statement: ReadStatement }[] {
  const found: { rule: Rule; statement: ReadStatement }[] = [];
  const outsideTransaction = executionModeOf(migration).kind === 'no-transaction';
  let insideFileBlock = false;
  for (const statement of statements) {
    const { control } = statement;
    if (control?.kind === 'commit') found.push({ rule: rules.commitInMigration, statement });
    if (control?.kind === 'rollback' || control?.kind === 'two-phase')
      found.push({ rule: rules.rollbackInMigration, statement });
    if (isTransactionBoundary(control)) {
      insideFileBlock = control!.kind === 'begin' || control!.chain;
      continue;
    }
    if (!statement.concurrent || runnerRunsAlone(statement.text)) continue;
    // Not recognised by the runner: it runs inside the run's transaction, or the file's own block.
    if (!outsideTransaction || insideFileBlock)
      found.push({ rule: rules.concurrentlyInTransaction, statement });
  }
  return found;
}

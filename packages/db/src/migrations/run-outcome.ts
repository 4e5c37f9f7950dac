import type { ExecutionMode } from './execution-mode.js';

/** Where a failed run stopped: enough to say truthfully what it kept. */
export interface FailedRun {
  direction: 'up' | 'down';
  /** The migration whose statement failed. */
  failed: string;
  /** How the failing migration ran. */
  mode: ExecutionMode;
  /** Migrations that ran before it in the same transaction: its rollback took them too. */
  sameTransaction: string[];
  /** Migrations this run committed before the failing transaction began. */
  committed: string[];
  /** Migrations of the plan that never started. */
  notRun: string[];
}

/**
 * The sentences after the database's message: what of the run was kept and what
 * was rolled back, by name. The progress lines said "ran" for every migration
 * that finished its statements, and some of those may have been undone since.
 */
export function describeFailedRun(run: FailedRun): string {
  const up = run.direction === 'up';
  const list = (tags: string[]) => tags.join(', ');
  const sentences: string[] = [];
  if (run.mode.kind === 'no-transaction') {
    sentences.push(
      `${run.failed} ran outside a transaction because ${run.mode.reason}: its statements before the failing one stay applied, and it is not recorded as ${up ? 'applied' : 'rolled back'}. Make its statements safe to run again (IF NOT EXISTS; drop an index left INVALID) before the next run.`,
    );
  } else if (run.sameTransaction.length > 0) {
    sentences.push(
      `Rolled back: ${list([...run.sameTransaction, run.failed])}. They ran in one transaction, so the failure undid all of them: ${list(run.sameTransaction)} ${run.sameTransaction.length === 1 ? 'is' : 'are'} not ${up ? 'applied' : 'rolled back'}, although ${run.sameTransaction.length === 1 ? 'its' : 'their'} statements ran.`,
    );
  } else {
    sentences.push(
      up
        ? `Nothing of ${run.failed} was kept: its transaction was rolled back.`
        : `The rollback of ${run.failed} was undone: its transaction was rolled back, so ${run.failed} stays applied.`,
    );
  }
  sentences.push(
    run.committed.length > 0
      ? `Kept: ${list(run.committed)}, committed before the failing transaction; ${run.committed.length === 1 ? 'it stays' : 'they stay'} ${up ? 'applied' : 'rolled back'}.`
      : run.mode.kind === 'no-transaction'
        ? 'Nothing else of this run was committed.'
        : 'Kept: nothing; the database is as it was before the run.',
  );
  if (run.notRun.length > 0) sentences.push(`Not started: ${list(run.notRun)}.`);
  return sentences.join(' ');
}

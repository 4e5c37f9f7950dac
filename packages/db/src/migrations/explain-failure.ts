import { JamDbError } from '../errors.js';
import { databaseMessage, locateStatement } from './failure.js';
import type { RunContext } from './run-context.js';
import { describeFailedRun, type FailedRun } from './run-outcome.js';
import { StatementFailure } from './statement-failure.js';

/** Turns a failure into one paragraph that also says what this run kept and what it rolled back. */
export function explainFailure(
  run: RunContext,
  error: unknown,
  outcome: Omit<FailedRun, 'failed'>,
): unknown {
  if (!(error instanceof StatementFailure)) return error;
  const action = outcome.direction === 'up' ? 'Migration' : 'Rollback of';
  const lockHint = error.isLockTimeout
    ? `Another transaction held a lock on the table for longer than lock_timeout (${run.statementLockTimeoutMs} ms) in ${run.lockRetries + 1} attempts. Find it in pg_stat_activity, run again when traffic is lower, or raise --lock-timeout.`
    : error.segment && error.segment.index > 0
      ? 'Fix the failing statement (leave the segments already applied as they are) and run the command again: it continues with the failing segment.'
      : 'Fix the statement and run the command again.';
  return new JamDbError(
    outcome.direction === 'up' ? 'migration-failed' : 'rollback-failed',
    `${action} ${error.tag} failed at ${locateStatement(error)}\n` +
      `The database said: ${databaseMessage(error.cause, run.target)}\n` +
      describeFailedRun({ ...outcome, failed: error.tag, segment: error.segment }),
    lockHint,
    { cause: error.cause },
  );
}

import { JamDbError } from '../errors.js';
import { databaseMessage, displayPath, locateStatement } from './failure.js';
import { blockedBy, couldNotLock, lockWaitHint } from './lock-wait-message.js';
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
  const kept = describeFailedRun({ ...outcome, failed: error.tag, segment: error.segment });
  const said = `The database said: ${databaseMessage(error.cause, run.target)}`;
  if (error.isLockTimeout) {
    const opening = couldNotLock(
      action,
      error.tag,
      error.lockWait,
      run.statementLockTimeoutMs,
      run.lockRetries + 1,
    );
    const where =
      error.position === null ? `in ${displayPath(error.path)}` : `at ${locateStatement(error)}`;
    return new JamDbError(
      'lock-timeout',
      `${opening} (${where}).\n${blockedBy(error.lockWait)}\n${said}\n${kept}`,
      lockWaitHint(error.lockWait),
      { cause: error.cause },
    );
  }
  const hint =
    error.segment && error.segment.index > 0
      ? 'Fix the failing statement (leave the segments already applied as they are) and run the command again: it continues with the failing segment.'
      : 'Fix the statement and run the command again.';
  return new JamDbError(
    outcome.direction === 'up' ? 'migration-failed' : 'rollback-failed',
    `${action} ${error.tag} failed at ${locateStatement(error)}\n${said}\n${kept}`,
    hint,
    { cause: error.cause },
  );
}

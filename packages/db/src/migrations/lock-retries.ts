import { setTimeout as sleep } from 'node:timers/promises';
import type { RunContext } from './run-context.js';
import { StatementFailure } from './statement-failure.js';

/**
 * Retries work that hit lock_timeout, pausing 0.5 s, 1 s, 2 s, … between
 * attempts: a short lock_timeout keeps DDL from queueing traffic behind it, and
 * the pauses give the transaction holding the lock time to finish.
 */
export async function withLockRetries<T>(
  run: RunContext,
  tag: string,
  work: () => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const retry =
        error instanceof StatementFailure && error.isLockTimeout && attempt <= run.lockRetries;
      if (!retry) throw error;
      const waitMs = 500 * 2 ** (attempt - 1);
      run.onProgress?.({ kind: 'retry', tag, attempt, waitMs });
      await sleep(waitMs);
    }
  }
}

import { setTimeout as sleep } from 'node:timers/promises';
import { touchedRelations } from '../sql/relations.js';
import { readFileStatements } from '../sql/transaction-control.js';
import { findLockHolders } from './lock-holders.js';
import type { RunContext } from './run-context.js';
import { StatementFailure } from './statement-failure.js';

/** The first pause after a lock timeout; each later one doubles, up to `longestPauseMs`. */
export const firstPauseMs = 250;
export const longestPauseMs = 5_000;
/** Each pause is stretched or shrunk by up to this share, so deploys started together do not retry in step. */
export const pauseJitter = 0.25;

/**
 * The pause before retry `attempt` (1-based): 250 ms · 2^(attempt-1), at most
 * 5 s, then ±25 % at random. `random` is Math.random's range, [0, 1).
 */
export function lockRetryPauseMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(firstPauseMs * 2 ** (attempt - 1), longestPauseMs);
  return Math.round(base * (1 - pauseJitter + 2 * pauseJitter * random()));
}

/**
 * Retries work that hit lock_timeout. A short lock_timeout keeps DDL from
 * queueing every later write behind it for long; the growing pauses give the
 * transaction holding the lock time to finish. When the last attempt fails too,
 * the sessions holding locks on `relations` are read at once and kept on the
 * failure, so the error can name them.
 */
export async function withLockRetries<T>(
  run: RunContext,
  tag: string,
  work: () => Promise<T>,
  relations: () => Promise<string[]> | string[] = () => [],
): Promise<T> {
  const started = performance.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const lockTimeout = error instanceof StatementFailure && error.isLockTimeout;
      if (lockTimeout && attempt <= run.lockRetries) {
        const waitMs = lockRetryPauseMs(attempt);
        run.onProgress?.({ kind: 'retry', tag, attempt, waitMs });
        await sleep(waitMs);
        continue;
      }
      if (lockTimeout) {
        const names = await Promise.resolve(relations()).catch(() => []);
        const holders = await findLockHolders(run.session, names, run.statementLockTimeoutMs);
        error.lockWait = {
          attempts: attempt,
          elapsedMs: performance.now() - started,
          relations: names,
          holders,
        };
        if (error.position === null) {
          error.position = await firstStatementTouching(
            error.statements,
            holders.flatMap((h) => h.relations),
          );
        }
      }
      throw error;
    }
  }
}

/**
 * A lock timeout carries no error position: the statement that waited is taken
 * to be the first that names a relation another session held a lock on.
 */
async function firstStatementTouching(
  statements: string[],
  held: string[],
): Promise<number | null> {
  if (held.length === 0) return null;
  for (const [index, statement] of statements.entries()) {
    const nodes = (await readFileStatements([statement]))?.map((s) => s.node) ?? [];
    if (touchedRelations(nodes).some((name) => held.includes(name))) return index;
  }
  return null;
}

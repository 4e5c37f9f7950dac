import type { Session } from '../engines/session.js';
import { refusedInTransaction } from './execution-mode.js';

/**
 * `CREATE [UNIQUE] INDEX CONCURRENTLY`, `REINDEX … CONCURRENTLY` and `DROP INDEX CONCURRENTLY` take a
 * lock that lets reads and writes through (SHARE UPDATE EXCLUSIVE), then wait
 * for the transactions open on the table, and a build at its end for every
 * older snapshot in the database, whatever table it reads. Those waits stall no
 * one, so `lock_timeout` (there so that a waiting ALTER does not queue writes
 * behind it) would only cancel them: each cancelled build throws its work away
 * and leaves an INVALID index, and behind a long transaction every retry fails
 * the same way.
 */
const nonBlockingWaits = new Set([
  'CREATE INDEX CONCURRENTLY',
  'DROP INDEX CONCURRENTLY',
  'REINDEX CONCURRENTLY',
]);

export const waitsWithoutBlockingWrites = (statement: string): boolean =>
  nonBlockingWaits.has(refusedInTransaction(statement) ?? '');

/** Runs `work` with `lock_timeout` off, then puts the session's setting back. */
export async function withLockTimeoutOff<T>(session: Session, work: () => Promise<T>): Promise<T> {
  const [setting] = await session.query<{ value: string }>(
    `select current_setting('lock_timeout') as value`,
  );
  await session.exec('SET lock_timeout = 0');
  const restore = () =>
    session.query(`select set_config('lock_timeout', $1, false)`, [setting?.value ?? '0']);
  let result: T;
  try {
    result = await work();
  } catch (error) {
    // The failure is what the user needs to see; a session that died with it cannot be restored anyway.
    await restore().catch(() => undefined);
    throw error;
  }
  await restore();
  return result;
}

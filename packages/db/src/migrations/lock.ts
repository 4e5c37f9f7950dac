import { setTimeout as sleep } from 'node:timers/promises';
import type { Session } from '../engines/session.js';
import { JamDbError } from '../errors.js';

/**
 * Key of the session-level advisory lock every jam-db run takes on PostgreSQL and
 * Neon. A fixed 64-bit number ("jam-db" in ASCII, 0x6a616d2d6462) so all versions agree.
 */
export const migrationLockKey = '116966676063330';

/**
 * Serialises migration runs. On PostgreSQL and Neon an advisory lock held by this
 * session; a later run polls until the deadline, so it neither fails at once nor
 * waits forever. PGlite needs nothing here: its folder lock is held from open to close.
 */
export async function withMigrationLock<T>(
  session: Session,
  waitMs: number,
  work: () => Promise<T>,
): Promise<T> {
  if (session.engine === 'pglite') return work();
  const deadline = Date.now() + waitMs;
  for (;;) {
    const [row] = await session.query<{ locked: boolean }>(
      `select pg_try_advisory_lock(${migrationLockKey}) as locked`,
    );
    if (row?.locked) break;
    if (Date.now() >= deadline) {
      const holder = await describeLockHolder(session);
      throw new JamDbError(
        'lock-timeout',
        `Another jam-db run holds the migration lock on this database${holder}; waited ${Math.round(waitMs / 1000)}s.`,
        'Wait for it to finish and run the command again, or raise the wait with --lock-wait <seconds>.',
      );
    }
    await sleep(250);
  }
  try {
    return await work();
  } finally {
    await session
      .query(`select pg_advisory_unlock(${migrationLockKey})`)
      .catch(() => undefined /* the connection is gone, and the lock with it */);
  }
}

async function describeLockHolder(session: Session): Promise<string> {
  const rows = await session
    .query<{ pid: number; application_name: string; backend_start: Date }>(
      `select a.pid, a.application_name, a.backend_start
         from pg_locks l join pg_stat_activity a on a.pid = l.pid
        where l.locktype = 'advisory' and l.granted
          and ((l.classid::bigint << 32) | l.objid::bigint) = ${migrationLockKey}`,
    )
    .catch(() => []);
  const holder = rows[0];
  return holder
    ? ` (backend pid ${holder.pid}, ${holder.application_name || 'unnamed client'})`
    : '';
}

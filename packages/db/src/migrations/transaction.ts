import type { Session } from '../engines/session.js';

/** Runs `work` between BEGIN and COMMIT; any failure rolls back and is thrown on. */
export async function inTransaction<T>(session: Session, work: () => Promise<T>): Promise<T> {
  await session.exec('BEGIN');
  try {
    const result = await work();
    await session.exec('COMMIT');
    return result;
  } catch (error) {
    await session.exec('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

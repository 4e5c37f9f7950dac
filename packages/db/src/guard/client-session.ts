import { sql } from 'drizzle-orm';
import type { JamDb } from '../client/create-db.js';
import type { Session } from '../engines/session.js';

/**
 * The client's own connection as a Session: a PGlite folder can be open only
 * once per process, so an app reads migration history through the client it holds.
 */
export function sessionOf(jam: Pick<JamDb, 'db' | 'engine'>): Session {
  const run = async (text: string) =>
    ((await jam.db.execute(sql.raw(text))) as unknown as { rows: Record<string, unknown>[] }).rows;
  return {
    engine: jam.engine,
    query: async <Row>(text: string) => (await run(text)) as Row[],
    exec: async (text: string) => {
      await run(text);
    },
    close: async () => {},
  };
}

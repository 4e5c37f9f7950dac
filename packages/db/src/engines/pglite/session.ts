import type { Session } from '../session.js';
import type { OpenPglite } from './open-pglite.js';

/** A Session on an open PGlite: in-process, one connection by nature. */
export function pgliteSession(open: OpenPglite): Session {
  const { client } = open;
  return {
    engine: 'pglite',
    async query<Row>(text: string, params?: unknown[]) {
      return (await client.query<Row>(text, params)).rows;
    },
    async exec(text: string) {
      await client.exec(text);
    },
    close: () => open.close(),
  };
}

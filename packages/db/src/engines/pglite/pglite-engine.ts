import type { Engine, JamDatabase } from '../engine.js';
import { defaultSessionOptions } from '../session.js';
import { openPglite } from './open-pglite.js';
import { pgliteSession } from './session.js';

/** Embedded PostgreSQL in WebAssembly, on a folder (locked while open) or in memory. */
export function pgliteEngine(dataDir: string | null): Engine {
  return {
    kind: 'pglite',
    connectionHint:
      'Check that the folder is a PGlite data folder that no other program is using, or point DATABASE_URL elsewhere.',
    openSession: async (settings) => pgliteSession(await openPglite(dataDir, settings)),
    async openDrizzle({ purpose, schema }) {
      const { drizzle } = await import('drizzle-orm/pglite');
      const open = await openPglite(dataDir, { ...defaultSessionOptions, purpose });
      const db = drizzle({ client: open.client, schema }) as unknown as JamDatabase;
      return { db, close: () => open.close() };
    },
  };
}

import { randomBytes } from 'node:crypto';
import type { Target } from '../client/target.js';
import { openSession } from '../engines/open-session.js';
import type { ExtensionNeed } from '../engines/pglite-extensions.js';
import type { Session } from '../engines/session.js';

/** A throwaway database for `verify`, dropped when done. */
export interface ScratchDatabase {
  target: Target;
  session: Session;
  description: string;
  drop(): Promise<void>;
}

/**
 * In-memory PGlite when the user points at PGlite (or at nothing); otherwise a
 * temporary database on the same server as DATABASE_URL, so the scripts are
 * proven on the engine they will run on.
 */
export async function openScratchDatabase(
  home: Target,
  extensions: readonly ExtensionNeed[] = [],
): Promise<ScratchDatabase> {
  if (home.engine === 'pglite') {
    const target: Target = { engine: 'pglite', dataDir: null };
    const session = await openSession(target, { purpose: 'jam-db verify', extensions });
    return { target, session, description: 'an in-memory PGlite', drop: () => session.close() };
  }
  // The pid lets a later test run (or a person) tell a database this process abandoned when killed.
  const name = `jam_verify_r${process.pid}_${randomBytes(5).toString('hex')}`;
  const admin = await openSession(home, { purpose: 'jam-db verify' });
  try {
    await admin.exec(`CREATE DATABASE ${name}`);
  } finally {
    await admin.close();
  }
  const url = new URL(home.url);
  url.pathname = `/${name}`;
  const target: Target = { ...home, url: url.toString() };
  const session = await openSession(target, { purpose: 'jam-db verify' });
  return {
    target,
    session,
    description: `a temporary database ${name} on that server`,
    async drop() {
      await session.close();
      const dropper = await openSession(home, { purpose: 'jam-db verify' });
      try {
        await dropper.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await dropper.close();
      }
    },
  };
}

import { describeTarget, scrubPassword, type Target } from '../client/target.js';
import { isJamDbError, JamDbError } from '../errors.js';
import { defaultSessionOptions, type Session, type SessionOptions } from './session.js';

/**
 * Opens one connection to the target. Each engine is imported only when chosen,
 * so `status` against PostgreSQL never loads PGlite's WebAssembly.
 */
export async function openSession(
  target: Target,
  options: Partial<SessionOptions> = {},
): Promise<Session> {
  const settings = { ...defaultSessionOptions, ...options };
  try {
    switch (target.engine) {
      case 'pglite': {
        const { openPglite, pgliteSession } = await import('./pglite.js');
        return pgliteSession(await openPglite(target.dataDir, settings));
      }
      case 'postgres': {
        const { openPostgresSession } = await import('./postgres.js');
        return await openPostgresSession(target.url, settings);
      }
      case 'neon': {
        const { openNeonSession } = await import('./neon.js');
        return await openNeonSession(target.url, settings);
      }
    }
  } catch (error) {
    if (isJamDbError(error)) throw error;
    throw connectionError(error, target, settings.connectTimeoutMs);
  }
}

function connectionError(error: unknown, target: Target, timeoutMs: number): JamDbError {
  const where = describeTarget(target);
  const code = (error as { code?: string }).code;
  const raw = error instanceof Error ? error.message : String(error);
  const reason =
    code === 'ECONNREFUSED'
      ? 'the connection was refused (is the server running on that host and port?)'
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? 'the host name could not be resolved'
        : /timeout/i.test(raw)
          ? `the server did not answer within ${Math.round(timeoutMs / 1000)}s`
          : scrubPassword(raw, target);
  const hint =
    target.engine === 'pglite'
      ? 'Check that the folder is a PGlite data folder that no other program is using, or point DATABASE_URL elsewhere.'
      : 'Check DATABASE_URL (host, port, database, user, password) and that the server accepts connections.';
  return new JamDbError('connection', `Could not connect to ${where}: ${reason}.`, hint, {
    cause: error,
  });
}

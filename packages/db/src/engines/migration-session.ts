import { JamDbError } from '../errors.js';
import { type DirectEndpointEnv, directEndpoint } from '../target/direct-endpoint.js';
import { describeTarget, type Target } from '../target/target.js';
import { openSession } from './open-session.js';
import { probeTransactionPooler } from './pg-protocol/pooler-probe.js';
import { defaultSessionOptions, type Session, type SessionOptions } from './session.js';

/**
 * Opens the one connection a migration run (migrate, rollback, baseline) holds
 * from start to end. Its guarantees live in session state: the advisory lock
 * that serialises runs, `lock_timeout`, and the commits between migrations that
 * run outside a transaction. A transaction pooler moves each transaction to
 * whichever server connection is free, so none of them would hold. Hence: use
 * JAM_DB_DIRECT_URL or Neon's direct endpoint when there is one, and otherwise
 * prove the connection is direct before anything runs, refusing if it is not.
 */
export async function openMigrationSession(
  target: Target,
  options: Partial<SessionOptions> = {},
  env: DirectEndpointEnv = process.env,
): Promise<Session> {
  const settings = { ...defaultSessionOptions, ...options };
  const endpoint = directEndpoint(target, env);
  if (endpoint.note) settings.onNotice?.(endpoint.note);
  const session = await openSession(endpoint.target, settings);
  if (session.engine === 'pglite') return session;
  try {
    const verdict = await probeTransactionPooler(session, () =>
      openSession(endpoint.target, settings),
    );
    if (verdict.pooled) {
      throw pooledConnectionError(endpoint.target, verdict.evidence, settings.purpose, env);
    }
    return session;
  } catch (error) {
    await session.close().catch(() => undefined);
    throw error;
  }
}

function pooledConnectionError(
  target: Target,
  evidence: string,
  purpose: string,
  env: DirectEndpointEnv,
): JamDbError {
  const variable = env.JAM_DB_DIRECT_URL?.trim() ? 'JAM_DB_DIRECT_URL' : 'DATABASE_URL';
  return new JamDbError(
    'pooled-connection',
    `${purpose} refuses to run: ${variable} (${describeTarget(target)}) goes through a transaction pooler such as PgBouncer in transaction mode: ${evidence}. ` +
      'A migration run needs one server connection from start to end: its migration lock and lock_timeout are session state that a transaction pooler leaves on whichever server connection it used, so concurrent runs could apply the same migrations twice and a migration that runs outside a transaction could be left half-applied. Nothing was changed.',
    variable === 'JAM_DB_DIRECT_URL'
      ? 'Set JAM_DB_DIRECT_URL to the server itself (PostgreSQL usually listens on port 5432; PgBouncer on 6432), or unset it.'
      : 'Point DATABASE_URL at the server itself (PostgreSQL usually listens on port 5432; PgBouncer on 6432), or keep it for the application and set JAM_DB_DIRECT_URL=postgres://user:password@db-host:5432/db for jam-db. Read-only commands such as `pnpm db:status` work through the pooler.',
  );
}

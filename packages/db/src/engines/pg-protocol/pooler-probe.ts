import { randomBytes } from 'node:crypto';
import type { Session } from '../session.js';

/** What the probe saw: nothing, or the observation that proves a transaction pooler. */
export type PoolerVerdict = { pooled: false } | { pooled: true; evidence: string };

/** A custom setting no application uses; only its session-level value matters. */
const probeSetting = 'jam_db.pooler_probe';

/** Rounds on a direct connection cost a few round trips each; a pooler shows itself in the first one when idle. */
const rounds = 3;

interface Sighting {
  pid: number;
  token: string | null;
}

const look = async (session: Session): Promise<Sighting> => {
  const [row] = await session.query<Sighting>(
    `select pg_backend_pid() as pid, current_setting('${probeSetting}', true) as token`,
  );
  return { pid: Number(row?.pid), token: row?.token ?? null };
};

/**
 * Tells whether `session` reaches the server through a transaction pooler
 * (PgBouncer with pool_mode=transaction, Neon's `-pooler` endpoint, …), which
 * hands each transaction to whichever server connection is free.
 *
 * A direct connection owns one server process: its pid never changes, a
 * session setting it makes stays with it, and no other connection sees it.
 * So each round marks `session`'s server process with a fresh token, then opens
 * a transaction on a second connection (`peer`) and, while the peer holds its
 * server process, looks again from `session`. A pooler that hands the peer the
 * marked process shows the token to the peer; one that hands `session` another
 * process shows a new pid. Either is proof; a direct connection can show neither.
 */
export async function probeTransactionPooler(
  session: Session,
  openPeer: () => Promise<Session>,
): Promise<PoolerVerdict> {
  const peer = await openPeer();
  try {
    for (let round = 0; round < rounds; round++) {
      const token = randomBytes(8).toString('hex');
      const [marked] = await session.query<{ pid: number }>(
        `select pg_backend_pid() as pid, set_config('${probeSetting}', $1, false)`,
        [token],
      );
      const markedPid = Number(marked?.pid);
      const refusal = await peer.exec('BEGIN').then(
        () => null,
        (error: unknown) => error,
      );
      if (refusal) return refusedTransaction(refusal);
      try {
        const peerSaw = await look(peer);
        if (peerSaw.token === token || peerSaw.pid === markedPid) {
          return {
            pooled: true,
            evidence: `a second connection was handed the server process (pid ${markedPid}) that the first one had just used and marked with a session setting`,
          };
        }
        const sessionSaw = await look(session);
        if (sessionSaw.pid !== markedPid) {
          return {
            pooled: true,
            evidence: `one connection's server process changed between two transactions (pid ${markedPid}, then ${sessionSaw.pid})`,
          };
        }
        if (sessionSaw.token !== token) {
          return {
            pooled: true,
            evidence: `another client replaced a session setting this connection had made on its server process (pid ${markedPid})`,
          };
        }
      } finally {
        await peer.exec('COMMIT').catch(() => undefined);
      }
    }
    return { pooled: false };
  } finally {
    await peer.close().catch(() => undefined);
  }
}

/** PgBouncer in statement mode refuses transaction blocks outright; anything else is a real failure. */
function refusedTransaction(error: unknown): PoolerVerdict {
  const message = error instanceof Error ? error.message : String(error);
  if (/pool(ing)? mode/i.test(message)) {
    return { pooled: true, evidence: `the pooler refused a transaction block ("${message}")` };
  }
  throw error;
}

/**
 * How long a pooled client may wait on the database. Without bounds a stalled
 * server makes every caller wait as long as the stall lasts, and a write the
 * caller gave up on may still be applied when the server wakes up.
 */
export interface PoolBounds {
  /** Waiting for a connection: a free pool slot, TCP, and the server's startup answer. */
  connectTimeoutMs: number;
  /** The server's `statement_timeout`: it cancels a statement that runs longer. */
  statementTimeoutMs: number;
  /** The client stops waiting for any one answer after this long and drops the connection. */
  queryTimeoutMs: number;
  /** The server's `idle_in_transaction_session_timeout`: it ends a session left inside a transaction. */
  idleInTransactionTimeoutMs: number;
}

export const defaultPoolBounds: PoolBounds = {
  connectTimeoutMs: 5_000,
  statementTimeoutMs: 5_000,
  queryTimeoutMs: 5_000,
  idleInTransactionTimeoutMs: 10_000,
};

/** The bounds as node-postgres (and Neon's fork of it) read them from a Pool's options. */
export function poolTimeoutOptions(bounds: PoolBounds) {
  return {
    connectionTimeoutMillis: bounds.connectTimeoutMs,
    statement_timeout: bounds.statementTimeoutMs,
    query_timeout: bounds.queryTimeoutMs,
    idle_in_transaction_session_timeout: bounds.idleInTransactionTimeoutMs,
  };
}

import { AsyncLocalStorage } from 'node:async_hooks';
import type { JamDatabase } from '@jam/db';
import { createMiddleware } from 'hono/factory';

const changesData = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Thrown inside the transaction to roll it back when the request failed; never leaves this module. */
class RollBack extends Error {}

/**
 * One transaction per request that changes data, committed after the handler
 * has built its answer. Without it a route that writes and then reads the row
 * back could commit, stall on the read, and answer 503 for a change that was
 * made. With it, the COMMIT is the request's last word with the database: a
 * request that answers an error changed nothing, and a COMMIT that comes too
 * late is refused by the server (see @jam/db's bounded pools).
 *
 * `db` is what routes receive: inside such a request it is the request's
 * transaction, elsewhere the shared client. Routes need not know.
 */
export function requestTransactions(shared: JamDatabase) {
  const current = new AsyncLocalStorage<JamDatabase>();
  const db = new Proxy(shared, {
    get: (target, property) => Reflect.get(current.getStore() ?? target, property),
  });
  const middleware = createMiddleware(async (c, next) => {
    if (!changesData.has(c.req.method)) return next();
    // A slow upload must not hold a pooled connection inside an open transaction:
    // read the body first (Hono keeps it for the handler).
    await c.req.arrayBuffer();
    try {
      await shared.transaction(async (tx) => {
        await current.run(tx as unknown as JamDatabase, next);
        if (c.error || c.res.status >= 400) throw new RollBack();
      });
    } catch (error) {
      // The handler's own failure already has its answer in c.res.
      if (!(error instanceof RollBack)) throw error;
    }
  });
  return { db, middleware };
}

import type { JamDb } from '@jam/db';
import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { databaseUnavailable } from '../http/database-unavailable.js';

export const defaultReadyTimeoutMs = 2_000;

/**
 * Readiness: 200 when the database answers a trivial query within `timeoutMs`,
 * else 503 with Retry-After. `/health` stays liveness only, so an orchestrator
 * restarts the process when it hangs, not when the database does.
 */
export const readyRoutes = (jam: Pick<JamDb, 'db'>, timeoutMs = defaultReadyTimeoutMs) =>
  new Hono().get('/', async (c) => {
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const answered = jam.db.execute(sql`select 1`).then(
      () => true,
      () => false,
    );
    const ready = await Promise.race([answered, gaveUp]).finally(() => clearTimeout(timer));
    if (!ready) return databaseUnavailable(c);
    return c.json({ status: 'ready', database: 'ok' });
  });

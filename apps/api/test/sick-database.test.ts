import { createDb, type JamDb, type PoolBounds } from '@jam/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWsProxy, type WsProxy } from '../../../packages/db/test/support/ws-proxy.js';
import { createApp } from '../src/app.js';
import { type PausingProxy, startPausingProxy } from './support/pausing-proxy.js';
import { call, type DemoName, tokenOf } from './support/requests.js';
import { type ScratchPostgres, scratchPostgres } from './support/scratch-postgres.js';

const serverUrl = process.env.TEST_DATABASE_URL;

/** Short bounds keep the tests quick; what they prove does not depend on the values. */
const bounds: PoolBounds = {
  connectTimeoutMs: 1_000,
  statementTimeoutMs: 1_000,
  queryTimeoutMs: 1_000,
  idleInTransactionTimeoutMs: 2_000,
};

type App = ReturnType<typeof createApp>;

/** Polls `check` until it holds; the bound only keeps a broken run from hanging. */
async function eventually(check: () => Promise<boolean>, what: string, bound = 20_000) {
  const giveUpAt = Date.now() + bound;
  while (!(await check())) {
    if (Date.now() > giveUpAt) throw new Error(`gave up waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The same stalls through node-postgres and through Neon's WebSocket Pool (via
 * a local WebSocket-to-TCP proxy in front of the pausing one).
 */
const describeStall = (engine: 'postgres' | 'neon') =>
  describe.skipIf(!serverUrl)(
    serverUrl
      ? `the API when the database stalls (${engine})`
      : `the API when the database stalls (${engine}; skipped: TEST_DATABASE_URL unset)`,
    () => {
      let database: ScratchPostgres;
      let proxy: PausingProxy;
      let wsProxy: WsProxy | undefined;
      let jam: JamDb;
      let app: App;
      const failures: string[] = [];
      const neonWsProxy = process.env.NEON_WS_PROXY;

      beforeAll(async () => {
        database = scratchPostgres(serverUrl!);
        await database.create();
        proxy = await startPausingProxy(Number(new URL(serverUrl!).port || 5432));
        if (engine === 'neon') {
          wsProxy = await startWsProxy();
          process.env.NEON_WS_PROXY = wsProxy.address;
        }
        jam = await createDb({ target: { engine, url: proxy.urlFor(database.url) }, bounds });
        app = createApp(jam, { readyTimeoutMs: 500, logError: (line) => failures.push(line) });
      });
      afterAll(async () => {
        proxy?.resume();
        await jam?.close();
        await wsProxy?.close();
        if (neonWsProxy === undefined) delete process.env.NEON_WS_PROXY;
        else process.env.NEON_WS_PROXY = neonWsProxy;
        await proxy?.close();
        await database?.drop();
      });

      /** Linus's mentorship as the database holds it, read around the proxy. */
      const linusMentorship = async () => {
        const [row] = await database.query<{ id: string; participant_rating: number | null }>(
          `SELECT m.id, m.participant_rating FROM mentorships m JOIN users u ON u.id = m.participant_id
          WHERE u.email = 'linus@demo.jam.dev' ORDER BY m.id LIMIT 1`,
        );
        return row!;
      };

      /** Once the proxy forwards again, the held bytes reach the server and its sessions settle. */
      const settled = async () => {
        await eventually(
          async () => (await call(app, 'GET', '/ready')).status === 200,
          '/ready is 200',
        );
        await eventually(async () => {
          const busy = await database.query(
            `SELECT 1 FROM pg_stat_activity WHERE datname = $1
             AND backend_type = 'client backend' AND state <> 'idle' AND pid <> pg_backend_pid()`,
            [database.name],
          );
          return busy.length === 0;
        }, 'no API session is busy');
      };

      const rate = (as: DemoName, id: string, rating: number) =>
        call(app, 'POST', `/mentorships/${id}/rating`, { as, body: { rating } });

      it('answers 503 with Retry-After while the database stalls, and /health stays 200', async () => {
        expect((await call(app, 'GET', '/programs')).status).toBe(200);
        proxy.pause();
        try {
          const answer = await call(app, 'GET', '/programs');
          expect(answer.status).toBe(503);
          expect(answer.headers.get('retry-after')).toMatch(/^\d+$/);
          expect(answer.body).toEqual({
            error: { code: 'database_unavailable', message: expect.any(String) },
          });
          const ready = await call(app, 'GET', '/ready');
          expect(ready.status).toBe(503);
          expect(ready.headers.get('retry-after')).toMatch(/^\d+$/);
          expect((await call(app, 'GET', '/health')).status).toBe(200);
        } finally {
          proxy.resume();
        }
        await settled();
        expect(await call(app, 'GET', '/ready')).toMatchObject({
          status: 200,
          body: { status: 'ready', database: 'ok' },
        });
        expect((await call(app, 'GET', '/programs')).status).toBe(200);
        // The log names the failure by class and SQLSTATE only.
        expect(failures.join('\n')).not.toMatch(/select|from|password|127\.0\.0\.1/i);
      });

      it('never applies a write whose statement reached the server after the client gave up', async () => {
        const before = await linusMentorship();
        const rating = before.participant_rating === 2 ? 3 : 2;
        proxy.pauseOn('update "mentorships"');
        const answer = await rate('linus', before.id, rating);
        expect(answer.status).toBe(503);
        expect(answer.headers.get('retry-after')).toMatch(/^\d+$/);
        proxy.resume();
        await settled();
        expect((await linusMentorship()).participant_rating).toBe(before.participant_rating);

        // The same write goes through once the database answers again.
        expect((await rate('linus', before.id, rating)).status).toBe(200);
        expect((await linusMentorship()).participant_rating).toBe(rating);
      });

      it('never applies a write whose COMMIT reached the server after the client gave up', async () => {
        const before = await linusMentorship();
        const rating = before.participant_rating === 4 ? 5 : 4;
        proxy.pauseOn('COMMIT');
        const answer = await rate('linus', before.id, rating);
        expect(answer.status).toBe(503);
        proxy.resume();
        await settled();
        expect((await linusMentorship()).participant_rating).toBe(before.participant_rating);
      });

      it('never applies a write whose request stalled after the write, before answering', async () => {
        const before = await linusMentorship();
        const rating = before.participant_rating === 1 ? 2 : 1;
        // The write goes through; reading the row back for the answer stalls.
        proxy.pauseAfter('update "mentorships"', 'select');
        const answer = await rate('linus', before.id, rating);
        expect(answer.status).toBe(503);
        proxy.resume();
        await settled();
        expect((await linusMentorship()).participant_rating).toBe(before.participant_rating);
      });

      it('reads a request body before it opens the transaction, so a slow upload holds no connection', async () => {
        const { id } = await linusMentorship();
        const encode = (text: string) => new TextEncoder().encode(text);
        let pulls = 0;
        let waitingForMore!: () => void;
        const reading = new Promise<void>((resolve) => {
          waitingForMore = resolve;
        });
        let finish!: () => void;
        const body = new ReadableStream<Uint8Array>({
          pull(controller) {
            pulls += 1;
            if (pulls === 1) return controller.enqueue(encode('{"rating"'));
            // The API is reading and wants the rest: hold it back until the check below is done.
            waitingForMore();
            return new Promise<void>((resolve) => {
              finish = () => {
                controller.enqueue(encode(': 3}'));
                controller.close();
                resolve();
              };
            });
          },
        });
        const answer = app.request(`/mentorships/${id}/rating`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${tokenOf('linus')}`,
            'content-type': 'application/json',
            // With a length the body limit trusts the header and leaves the reading to the route.
            'content-length': '13',
          },
          body,
          duplex: 'half',
        } as RequestInit);
        await reading;
        const open = await database.query(
          `SELECT 1 FROM pg_stat_activity WHERE datname = $1
           AND state LIKE 'idle in transaction%'`,
          [database.name],
        );
        finish();
        expect(open).toEqual([]);
        expect((await answer).status).toBe(200);
      });

      it('has the server cancel a statement that outlives statement_timeout', async () => {
        await expect(jam.db.execute('select pg_sleep(600)')).rejects.toThrow();
        // Without statement_timeout the server would sleep on for ten minutes after the client left.
        await eventually(async () => {
          const sleeping = await database.query(
            `SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND query LIKE '%pg_sleep(600)%'
             AND state = 'active' AND pid <> pg_backend_pid()`,
            [database.name],
          );
          return sleeping.length === 0;
        }, 'the server stopped the statement');
      });
    },
  );

describeStall('postgres');
describeStall('neon');

describe.skipIf(!serverUrl)(
  serverUrl
    ? 'the API when its database is dropped mid-load'
    : 'the API when its database is dropped mid-load (skipped: TEST_DATABASE_URL unset)',
  () => {
    let database: ScratchPostgres;
    let jam: JamDb;
    let app: App;

    beforeAll(async () => {
      database = scratchPostgres(serverUrl!);
      await database.create();
      jam = await createDb({ target: { engine: 'postgres', url: database.url }, bounds });
      app = createApp(jam, { logError: () => {} });
    });
    afterAll(async () => {
      await jam?.close();
      await database?.drop();
    });

    it('answers 503, never 500, and recovers without a restart once it is back', async () => {
      const statuses: number[] = [];
      let phase: 'before' | 'dropped' | 'back' = 'before';
      let okAfterRecreate = 0;
      const worker = async () => {
        while (okAfterRecreate < 20) {
          const { status } = await call(app, 'GET', '/me', { as: 'linus' });
          statuses.push(status);
          if (phase === 'back' && status === 200) okAfterRecreate += 1;
          await new Promise((resolve) => setImmediate(resolve));
        }
      };
      const load = Promise.all(Array.from({ length: 6 }, worker));

      await eventually(async () => statuses.length >= 30, 'requests ran before the drop');
      phase = 'dropped';
      await database.drop();
      const seenWhileDropped = statuses.length;
      await eventually(
        async () => statuses.length >= seenWhileDropped + 30,
        'requests ran while dropped',
      );
      await database.create();
      phase = 'back';
      await load;

      const counts = Object.fromEntries(
        [...new Set(statuses)].map((status) => [
          status,
          statuses.filter((s) => s === status).length,
        ]),
      );
      expect(Object.keys(counts).sort()).toEqual(['200', '503']);
      expect(counts['503']).toBeGreaterThan(0);
    }, 120_000);
  },
);

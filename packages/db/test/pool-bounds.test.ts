import { sql } from 'drizzle-orm';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { commitBeforeDeadlineSql } from '../src/engines/pg-protocol/deadline-commit.js';
import { createDb, type JamDb, type PoolBounds } from '../src/index.js';
import { describeServer, useNeonProxy, useScratchDatabase } from './support/databases.js';

const bounds: PoolBounds = {
  connectTimeoutMs: 2_000,
  statementTimeoutMs: 1_000,
  queryTimeoutMs: 3_000,
  idleInTransactionTimeoutMs: 2_000,
};

const rowsOf = <Row>(result: unknown) => (result as { rows: Row[] }).rows;

async function withDb<T>(jamDb: Promise<JamDb>, use: (jam: JamDb) => Promise<T>): Promise<T> {
  const jam = await jamDb;
  try {
    return await use(jam);
  } finally {
    await jam.close();
  }
}

describe('the commit deadline', () => {
  it('is one message: the check, then COMMIT', () => {
    const text = commitBeforeDeadlineSql(1234.7);
    expect(text).toMatch(
      /^DO \$jam\$ BEGIN IF clock_timestamp\(\) > now\(\) \+ make_interval\(secs => 1234 \/ 1000\.0\)/,
    );
    expect(text).toMatch(/ERRCODE = '57014'/);
    expect(text).toMatch(/; COMMIT$/);
  });
});

for (const engine of ['postgres', 'neon'] as const) {
  describeServer(`bounded pools (${engine})`, () => {
    if (engine === 'neon') useNeonProxy();
    const database = useScratchDatabase(engine);
    const open = (withBounds?: PoolBounds) =>
      createDb({ target: database.target, bounds: withBounds });

    it('sets no timeouts without bounds, and the server-side ones with them', async () => {
      const show = (jam: JamDb) =>
        jam.db
          .execute(sql`select current_setting('statement_timeout') as statement,
                              current_setting('idle_in_transaction_session_timeout') as idle`)
          .then((result) => rowsOf<{ statement: string; idle: string }>(result)[0]);
      expect(await withDb(open(), show)).toEqual({ statement: '0', idle: '0' });
      expect(await withDb(open(bounds), show)).toEqual({ statement: '1s', idle: '2s' });
    });

    it('commits lone writes, reports a failing one as itself and keeps the connection usable', async () => {
      await database.sql('CREATE TABLE t (id int PRIMARY KEY)');
      await withDb(open(bounds), async (jam) => {
        await jam.db.execute(sql`insert into t values (1)`);
        const failure = await jam.db
          .execute(sql`insert into t values (1)`)
          .catch((e: unknown) => e);
        expect((failure as { cause?: { code?: string } }).cause?.code).toBe('23505');
        await jam.db.execute(sql`insert into t values (2)`);
        await jam.db.transaction(async (tx) => {
          await tx.execute(sql`insert into t values (3)`);
        });
      });
      expect(await database.sql('SELECT id FROM t ORDER BY id')).toEqual([
        { id: 1 },
        { id: 2 },
        { id: 3 },
      ]);
    });

    it('has the server roll back a commit that arrives after its deadline', async () => {
      await database.sql('CREATE TABLE t (id int PRIMARY KEY)');
      const client = new pg.Client({ connectionString: (database.target as { url: string }).url });
      await client.connect();
      try {
        await client.query('BEGIN');
        await client.query('INSERT INTO t VALUES (1)');
        await client.query('SELECT pg_sleep(0.3)');
        await expect(client.query(commitBeforeDeadlineSql(100))).rejects.toMatchObject({
          code: '57014',
        });
        await client.query('ROLLBACK');
      } finally {
        await client.end();
      }
      expect(await database.sql('SELECT id FROM t')).toEqual([]);
    });
  });
}

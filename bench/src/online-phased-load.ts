import pg from 'pg';
import type { Write } from './online-load.js';

/**
 * Writers that remember what they wrote, so the bench can prove that no write was lost or
 * doubled by an expand / contract change (issue #12). Each client inserts rows with ids it
 * makes up (its own range, above the template's) and updates rows only it touches (its own
 * inserts and the template rows whose id modulo the client count is its index), so "the last
 * value written to a row" is well defined. Every write sets `v` and, unless the writer is
 * neutral, the tracked column (`a`/`b`/`n`) to the same value.
 */

/** The column a client writes besides `v`: old code's name, new code's name, or none. */
export type Version = { name: string; column: string | null };

/** What the clients have written, per row: the last value (the tracked column's too, when set). */
export class Ledger {
  readonly rows = new Map<number, { v: number; column: boolean }>();
  inserted = 0;
  readonly writtenBy = new Map<string, Set<number>>();

  record(id: number, value: number, version: Version, insert: boolean): void {
    const before = this.rows.get(id);
    this.rows.set(id, { v: value, column: version.column !== null || (before?.column ?? false) });
    if (insert) this.inserted++;
    if (version.column !== null) {
      const ids = this.writtenBy.get(version.name) ?? new Set<number>();
      ids.add(id);
      this.writtenBy.set(version.name, ids);
    }
  }
}

const idsPerClient = 100_000_000;

interface ClientState {
  index: number;
  nextId: number;
  ownIds: number[];
}

/** One load: `versions[i % versions.length]` is client i's version. Reads too, when asked. */
export class TrackedLoad {
  private running = true;
  readonly writes: Write[] = [];
  readonly errors = new Map<string, number>();
  private loops: Promise<void>[] = [];
  reads = 0;

  private constructor(
    private readonly clients: pg.Client[],
    private readonly ledger: Ledger,
  ) {}

  static async start(
    url: string,
    options: {
      rows: number;
      versions: Version[];
      ledger: Ledger;
      states: ClientState[];
      read?: boolean;
    },
  ): Promise<TrackedLoad> {
    const clients = options.states.map(
      () => new pg.Client({ connectionString: url, application_name: 'jam-bench-phased' }),
    );
    for (const client of clients) client.on('error', () => {});
    const load = new TrackedLoad(clients, options.ledger);
    await Promise.all(clients.map((client) => client.connect()));
    load.loops = clients.map((client, i) =>
      load.loop(
        client,
        options.states[i]!,
        options.versions[i % options.versions.length]!,
        options,
      ),
    );
    return load;
  }

  private async loop(
    client: pg.Client,
    state: ClientState,
    version: Version,
    options: { rows: number; read?: boolean },
  ): Promise<void> {
    const clientCount = this.clients.length;
    for (let n = 0; this.running; n++) {
      const startedAt = performance.now();
      let failed = false;
      const value = Math.floor(Math.random() * 1_000_000);
      // Its own parameter: after a type change the column and v differ in type.
      const set = version.column ? `, "${version.column}" = $3` : '';
      const params = (id: number) => (version.column ? [id, value, value] : [id, value]);
      try {
        if (options.read && n % 3 === 2 && state.ownIds.length > 0) {
          const id = state.ownIds[Math.floor(Math.random() * state.ownIds.length)]!;
          const column = version.column ?? 'v';
          await client.query(`SELECT "${column}" FROM "hot" WHERE "id" = $1`, [id]);
          this.reads++;
        } else if (n % 2 === 0) {
          const id = state.nextId++;
          const columns = version.column ? `, "${version.column}"` : '';
          const values = version.column ? ', $3' : '';
          await client.query(
            `INSERT INTO "hot" ("id", "v"${columns}) VALUES ($1, $2${values})`,
            params(id),
          );
          state.ownIds.push(id);
          this.ledger.record(id, value, version, true);
        } else {
          // Half of the updates hit a template row of this client's share, half one of its own.
          const share = Math.floor(options.rows / clientCount);
          const id =
            n % 4 === 1 || state.ownIds.length === 0
              ? 1 + state.index + clientCount * Math.floor(Math.random() * share)
              : state.ownIds[Math.floor(Math.random() * state.ownIds.length)]!;
          await client.query(`UPDATE "hot" SET "v" = $2${set} WHERE "id" = $1`, params(id));
          this.ledger.record(id, value, version, false);
        }
      } catch (error) {
        failed = true;
        const message = error instanceof Error ? error.message : String(error);
        this.errors.set(message, (this.errors.get(message) ?? 0) + 1);
      }
      this.writes.push({ startedAt, ms: performance.now() - startedAt, failed });
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
    await Promise.all(this.clients.map((client) => client.end().catch(() => {})));
  }
}

/** Fresh client states: client i inserts ids from rows + 1 + i × 10^8 on. */
export const clientStates = (clients: number, rows: number): ClientState[] =>
  Array.from({ length: clients }, (_, index) => ({
    index,
    nextId: rows + 1 + index * idsPerClient,
    ownIds: [],
  }));

export interface LedgerCheck {
  /** Rows written whose last value is missing or different (v, or the final column). */
  lost: number;
  /** Rows beyond the template's and the inserted ones, or ids found more than once. */
  doubled: number;
  checked: number;
}

/**
 * Counts and checksums what the clients wrote against the table: every remembered row must
 * be there once with its last `v` (and, where a version wrote the tracked column, that value
 * under `finalColumn`), and the table must hold the template's rows plus the inserts, no more.
 */
export async function checkLedger(
  url: string,
  ledger: Ledger,
  rows: number,
  finalColumn: string | null,
): Promise<LedgerCheck> {
  const client = new pg.Client({ connectionString: url, application_name: 'jam-bench-check' });
  await client.connect();
  try {
    const ids = [...ledger.rows.keys()];
    let lost = 0;
    let doubled = 0;
    for (let start = 0; start < ids.length; start += 10_000) {
      const chunk = ids.slice(start, start + 10_000);
      const column = finalColumn ? `, "${finalColumn}"::bigint AS c` : ', NULL AS c';
      const result = await client.query(
        `SELECT "id"::bigint AS id, "v"${column} FROM "hot" WHERE "id" = ANY($1::bigint[])`,
        [chunk],
      );
      const seen = new Map<number, number>();
      for (const row of result.rows as { id: string; v: number; c: string | null }[]) {
        const id = Number(row.id);
        seen.set(id, (seen.get(id) ?? 0) + 1);
        const expected = ledger.rows.get(id)!;
        const columnWrong = finalColumn && expected.column && Number(row.c) !== expected.v;
        if (row.v !== expected.v || columnWrong) lost++;
      }
      for (const id of chunk) {
        const count = seen.get(id) ?? 0;
        if (count === 0) lost++;
        if (count > 1) doubled += count - 1;
      }
    }
    const total = await client.query('SELECT count(*)::bigint AS n FROM "hot"');
    const extra = Number(total.rows[0].n) - (rows + ledger.inserted);
    if (extra > 0) doubled += extra;
    return { lost, doubled, checked: ids.length };
  } finally {
    await client.end();
  }
}

/**
 * Rows written through one name must read back through the other while both exist: per
 * version, how many rows it wrote and how many of them have `column` differing from `twin`.
 */
export async function crossReadMismatches(
  url: string,
  ledger: Ledger,
  column: string,
  twin: string,
): Promise<{ version: string; rows: number; mismatches: number }[]> {
  const client = new pg.Client({ connectionString: url, application_name: 'jam-bench-check' });
  await client.connect();
  try {
    const results = [];
    for (const [version, ids] of ledger.writtenBy) {
      const result = await client.query(
        `SELECT count(*)::bigint AS n FROM "hot" WHERE "id" = ANY($1::bigint[]) AND "${column}"::bigint IS DISTINCT FROM "${twin}"::bigint`,
        [[...ids]],
      );
      results.push({ version, rows: ids.size, mismatches: Number(result.rows[0].n) });
    }
    return results;
  } finally {
    await client.end();
  }
}

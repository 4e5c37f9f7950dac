import pg from 'pg';
import { ownerCount } from './online-cases.js';

/** One write the load made: when it started (performance.now()), how long it took, how it ended. */
export interface Write {
  startedAt: number;
  ms: number;
  failed: boolean;
}

/**
 * `clients` connections, each writing in a closed loop: single-row UPDATEs of random
 * existing rows alternating with INSERTs, every write timed on its own.
 */
export class WriteLoad {
  private running = true;
  private readonly writes: Write[] = [];
  private readonly errors = new Map<string, number>();
  private loops: Promise<void>[] = [];
  private readonly lost = new Set<pg.Client>();

  private constructor(private readonly clients: pg.Client[]) {}

  static async start(url: string, clientCount: number, rows: number): Promise<WriteLoad> {
    const clients = Array.from(
      { length: clientCount },
      () => new pg.Client({ connectionString: url, application_name: 'jam-bench-load' }),
    );
    const load = new WriteLoad(clients);
    for (const client of clients) {
      // A connection the server closed (the database dropped on Ctrl-C) ends its loop, not the process.
      client.on('error', () => load.lost.add(client));
      client.on('end', () => load.lost.add(client));
    }
    await Promise.all(clients.map((client) => client.connect()));
    load.loops = clients.map((client, index) => load.loop(client, index, rows));
    return load;
  }

  private async loop(client: pg.Client, index: number, rows: number): Promise<void> {
    for (let n = 0; this.running && !this.lost.has(client); n++) {
      const startedAt = performance.now();
      let failed = false;
      try {
        if (n % 2 === 0) {
          await client.query('UPDATE "hot" SET "qty" = "qty" + 1, "note" = $2 WHERE "id" = $1', [
            1 + Math.floor(Math.random() * rows),
            `touched by ${index}`,
          ]);
        } else {
          // code must stay unique by content: the ADD UNIQUE case builds its index over these too.
          await client.query(
            'INSERT INTO "hot" ("amount", "owner_id", "note", "code", "qty", "legacy") VALUES ($1, $2, $3, $4, 0, 0)',
            [n % 100000, 1 + (n % ownerCount), 'inserted', `load ${index} ${n}`],
          );
        }
      } catch (error) {
        failed = true;
        const message = error instanceof Error ? error.message : String(error);
        this.errors.set(message, (this.errors.get(message) ?? 0) + 1);
      }
      this.writes.push({ startedAt, ms: performance.now() - startedAt, failed });
    }
  }

  /** Ends every loop after its write in flight, closes the connections and returns the writes. */
  async stop(): Promise<{ writes: Write[]; errors: Map<string, number> }> {
    this.running = false;
    await Promise.all(this.loops);
    await Promise.all(this.clients.map((client) => client.end().catch(() => {})));
    return { writes: this.writes, errors: this.errors };
  }
}

/** A transaction that reads the hot table and stays open, so its ACCESS SHARE lock does too. */
export async function holdReader(
  url: string,
  holdMs: number,
): Promise<{ released: Promise<void> }> {
  const client = new pg.Client({ connectionString: url, application_name: 'jam-bench-reader' });
  client.on('error', () => {});
  await client.connect();
  await client.query('BEGIN');
  await client.query('SELECT count(*) FROM "hot" WHERE "id" <= 100');
  const released = (async () => {
    try {
      await new Promise((resolve) => setTimeout(resolve, holdMs));
      await client.query('COMMIT');
    } catch {
      // The database went away under it (Ctrl-C); nothing is left to release.
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return { released };
}

export const percentile = (sorted: number[], p: number): number =>
  sorted.length === 0
    ? 0
    : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

export interface WindowStats {
  /** The longest single write that overlapped the window. */
  maxMs: number;
  p99Ms: number;
  count: number;
}

/** The writes that overlapped [from, to]: started before it ended and ended after it began. */
export function windowStats(writes: Write[], from: number, to: number): WindowStats {
  const sorted = writes
    .filter((write) => write.startedAt < to && write.startedAt + write.ms > from)
    .map((write) => write.ms)
    .sort((a, b) => a - b);
  return { maxMs: sorted.at(-1) ?? 0, p99Ms: percentile(sorted, 99), count: sorted.length };
}

import type { JamDatabase } from '../client/create-db.js';
import { JamDbError } from '../errors.js';
import { BatchInsert, type Executor } from './batch-insert.js';
import { demoUsers } from './demo-data.js';
import { type DemoToken, demoTokens } from './demo-tokens.js';
import { type SeedStep, seedPlan } from './plan.js';
import { emptyJamTables, type TableCounts } from './reset.js';

export const defaultSeedScale = 100;
/** The demo users are users 0–5 of every scale. */
export const minimumSeedScale = demoUsers.length;
/** Rows per INSERT: large enough that round trips vanish, small enough to keep memory flat. */
export const defaultSeedBatchSize = 5000;

export interface SeedProgress {
  table: string;
  /** 1-based position of the table among `tables`. */
  step: number;
  tables: number;
  unitsDone: number;
  units: number;
  rowsWritten: number;
}

export interface SeedOptions {
  reset?: boolean;
  /** How many users; programs, quests, user quests, projects and mentorships follow. */
  scale?: number;
  batchSize?: number;
  onProgress?: (progress: SeedProgress) => void;
}

export interface SeedResult {
  scale: number;
  /** Rows each table held before `--reset` emptied it; null without `--reset`. */
  emptied: TableCounts | null;
  /** New rows per table: all zero on a second run. */
  inserted: TableCounts;
  /** Rows the data set has per table (inserted now or before). */
  planned: TableCounts;
  tokens: DemoToken[];
}

/**
 * Writes the deterministic Jam data set in one transaction: all of it or,
 * if anything fails, none of it.
 */
export async function seed(db: JamDatabase, options: SeedOptions = {}): Promise<SeedResult> {
  const scale = options.scale ?? defaultSeedScale;
  if (!Number.isInteger(scale) || scale < minimumSeedScale) {
    throw new JamDbError(
      'usage',
      `The seed scale must be a whole number of at least ${minimumSeedScale} (the demo users), not ${scale}.`,
    );
  }
  const batchSize = options.batchSize ?? defaultSeedBatchSize;
  return db.transaction(async (tx) => {
    const emptied = options.reset ? await emptyJamTables(tx) : null;
    const inserted: TableCounts = {};
    const planned: TableCounts = {};
    const plan = seedPlan(scale);
    for (const [index, step] of plan.entries()) {
      const counts = await writeStep(tx, step, batchSize, (unitsDone, rowsWritten) =>
        options.onProgress?.({
          table: step.name,
          step: index + 1,
          tables: plan.length,
          unitsDone,
          units: step.units,
          rowsWritten,
        }),
      );
      inserted[step.name] = counts.inserted;
      planned[step.name] = counts.planned;
    }
    return { scale, emptied, inserted, planned, tokens: demoTokens };
  });
}

async function writeStep(
  db: Executor,
  step: SeedStep,
  batchSize: number,
  progress: (unitsDone: number, rowsWritten: number) => void,
): Promise<{ inserted: number; planned: number }> {
  const insert = new BatchInsert(step.table);
  let batch: SeedStep['table']['$inferSelect'][] = [];
  let inserted = 0;
  let planned = 0;
  // One batch in flight while the next is generated: on a server the database
  // works on one core while this process builds rows on the other.
  let inFlight: Promise<number> | null = null;
  for (let unit = 0; unit < step.units; unit++) {
    for (const row of step.rowsOf(unit)) batch.push(row);
    if (batch.length >= batchSize || unit === step.units - 1) {
      const sent = insert.run(db, batch);
      // Awaited below; this only keeps a failure that arrives early from counting as unhandled.
      sent.catch(() => {});
      if (inFlight) inserted += await inFlight;
      inFlight = sent;
      planned += batch.length;
      batch = [];
      progress(unit + 1, planned);
    }
  }
  if (inFlight) inserted += await inFlight;
  return { inserted, planned };
}

import { setTimeout as sleep } from 'node:timers/promises';
import packageJson from '../../package.json' with { type: 'json' };
import { type Migration, sha256 } from '../drizzle-kit/migration-folder.js';
import type { Session } from '../engines/session.js';
import { JamDbError } from '../errors.js';
import { touchedRelations } from '../sql/relations.js';
import type { BackfillPlan } from './backfill-plan.js';
import {
  type BackfillRecord,
  describeBackfill,
  readBackfillProgress,
  saveBackfillProgress,
} from './backfill-progress.js';
import {
  batchedUpdate,
  highestKeyQuery,
  keyRange,
  nextBatchQuery,
  quoteIdent,
} from './backfill-sql.js';
import { displayPath } from './failure.js';
import { withLockRetries } from './lock-retries.js';
import type { BackfillPhase, RunContext } from './run-context.js';
import { appliedPartHash, type SegmentedMigration } from './segments.js';
import { StatementFailure } from './statement-failure.js';
import { saveSegmentProgress } from './tracking.js';
import { inTransaction } from './transaction.js';

/** Below this size a table is counted exactly for the ETA; above it the planner's estimate is good enough and free. */
const exactCountBytes = 64 * 1024 * 1024;

/**
 * Runs the UPDATE of segment `index` batch by batch along the table's primary
 * key: each batch finds its upper key, updates the rows between the last
 * committed key and it, and commits together with the new last key. A run
 * after a kill continues after the last committed batch, so no batch runs twice
 * and no row is skipped. Each batch is one short transaction under the run's
 * lock_timeout, retried like any other.
 */
export async function runBackfill(
  run: RunContext,
  migration: Migration,
  segmented: SegmentedMigration,
  index: number,
): Promise<void> {
  const { session } = run;
  const position = segmented.segments[index]!.statements[0]!;
  const plan = segmented.backfills!.get(position)!;
  // What the committed batches did, for the message of a batch that fails.
  let kept: BackfillRecord | null = null;
  const fail = (error: unknown) => {
    const failure = new StatementFailure(
      migration.tag,
      migration.path,
      position,
      segmented.statements,
      error,
    );
    if (kept && kept.batches > 0) {
      const total = segmented.segments.length;
      failure.segment = { index, total, transactional: true, backfill: describeBackfill(kept) };
    }
    return failure;
  };
  const key = await primaryKeyOf(session, migration, plan).catch((error: unknown) => {
    throw error instanceof JamDbError ? error : fail(error);
  });
  await saveSegmentProgress(
    session,
    {
      tag: migration.tag,
      hash: migration.hash,
      appliedPartHash: appliedPartHash(segmented, index),
      segmentsDone: index,
      segmentsTotal: segmented.segments.length,
      runningSegment: null,
      runningHash: null,
    },
    packageJson.version,
  );
  const resumed = await readBackfillProgress(session, migration.tag, index);
  const statementHash = sha256(plan.text);
  if (resumed?.statementHash && resumed.statementHash !== statementHash) {
    // Fixing the UPDATE of a failed batch is the usual way on; the batches before stay as they are.
    run.onProgress?.({
      kind: 'interrupted-statement',
      tag: migration.tag,
      finding: `the backfill's UPDATE changed since its last committed batch: its ${resumed.batches} committed batch(es) keep what the earlier UPDATE did; continuing after key ${resumed.lastKey} with the UPDATE as it is now`,
    });
  }
  let record: BackfillRecord = resumed
    ? { ...resumed, statementHash }
    : {
        segment: index,
        statementHash,
        table: plan.target.table,
        lastKey: null,
        rows: 0,
        batches: 0,
        estimatedTotal: await estimateRows(session, plan.target.table).catch(() => null),
      };
  if (record.bound === undefined) {
    const [highest] = await session
      .query<{ bound: string | null }>(highestKeyQuery(plan.target.table, key))
      .catch((error: unknown) => {
        throw fail(error);
      });
    record = { ...record, bound: highest?.bound ?? null };
  }
  kept = record;
  const started = performance.now();
  const resumedRows = record.rows;
  const report = (phase: BackfillPhase) =>
    run.onProgress?.({
      kind: 'backfill',
      tag: migration.tag,
      phase,
      record,
      run: {
        rows: record.rows - resumedRows,
        batches: record.batches - (resumed?.batches ?? 0),
        elapsedMs: performance.now() - started,
        resumedRows,
      },
    });
  report('start');
  const keyRef = `${plan.target.qualifier}.${quoteIdent(key)}`;
  while (record.bound !== null) {
    const next = await withLockRetries(
      run,
      migration.tag,
      () =>
        inTransaction(session, async () => {
          const [batch] = await session
            .query<{ upper: string; rows: string | number }>(
              nextBatchQuery(
                plan.target.table,
                key,
                record.lastKey,
                plan.directive.batch,
                record.bound ?? null,
              ),
            )
            .catch((error: unknown) => {
              throw fail(error);
            });
          if (!batch) return null;
          const range = keyRange(keyRef, record.lastKey, batch.upper);
          await session.exec(batchedUpdate(plan.text, plan.whereEnd, range)).catch((error) => {
            throw fail(error);
          });
          const advanced: BackfillRecord = {
            ...record,
            lastKey: batch.upper,
            rows: record.rows + Number(batch.rows),
            batches: record.batches + 1,
          };
          await saveBackfillProgress(session, migration.tag, advanced);
          return advanced;
        }),
      // Who held the table, should a batch keep running into lock_timeout.
      () => touchedRelations([segmented.nodes[position]]),
    );
    if (next === null) break;
    record = next;
    kept = next;
    report('batch');
    if (plan.directive.pauseMs > 0) await sleep(plan.directive.pauseMs);
  }
  report('done');
}

/** The single-column primary key the batches follow; a table without one is refused before any batch runs. */
async function primaryKeyOf(
  session: Session,
  migration: Migration,
  plan: BackfillPlan,
): Promise<string> {
  const [table] = await session.query<{ found: boolean }>(
    'select to_regclass($1) is not null as found',
    [plan.target.table],
  );
  const where = `line ${plan.directive.line} of ${displayPath(migration.path)}`;
  if (!table?.found) {
    throw new JamDbError(
      'migration-failed',
      `The backfill of ${migration.tag} (${where}) updates ${plan.target.table}, which does not exist. The segments before it stay committed.`,
      'Check the table name in the UPDATE (and the schema, if the table is not on the search_path), then run migrate again: it continues with the backfill.',
    );
  }
  const columns = await session.query<{ name: string }>(
    `select a.attname as name
       from pg_index i
       join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any (i.indkey)
      where i.indrelid = to_regclass($1) and i.indisprimary
      order by array_position(i.indkey::int2[], a.attnum)`,
    [plan.target.table],
  );
  const key = columns.length === 1 ? columns[0]!.name : null;
  if (key !== null && plan.target.setColumns.includes(key)) {
    throw new JamDbError(
      'migration-failed',
      `The backfill of ${migration.tag} (${where}) sets ${plan.target.table}'s primary key "${key}", which its batches follow: a row given a higher key would be met again by a later batch. Nothing of the backfill was run; the segments before it stay committed.`,
      'Change the key in an UPDATE without the `-- jam-db:backfill` line, or backfill another column.',
    );
  }
  if (key !== null) return key;
  const has =
    columns.length === 0
      ? 'has no primary key'
      : `has a primary key of ${columns.length} columns (${columns.map((c) => c.name).join(', ')})`;
  throw new JamDbError(
    'migration-failed',
    `The backfill of ${migration.tag} (${where}) cannot run in batches: ${plan.target.table} ${has}, and batches follow a single-column primary key. Nothing of the backfill was run; the segments before it stay committed.`,
    'Give the table a single-column primary key first, or remove the `-- jam-db:backfill` line to run the UPDATE as one statement (it then locks every row it changes until it commits).',
  );
}

/** The table's rows: counted when the table is small, else the planner's estimate (null when it has none yet). */
async function estimateRows(session: Session, table: string): Promise<number | null> {
  const [size] = await session.query<{ bytes: string | number; estimate: string | number }>(
    'select pg_relation_size(c.oid) as bytes, c.reltuples as estimate from pg_class c where c.oid = to_regclass($1)',
    [table],
  );
  if (!size) return null;
  if (Number(size.bytes) <= exactCountBytes) {
    const [count] = await session.query<{ n: string | number }>(
      `select count(*) as n from ${table}`,
    );
    return Number(count?.n ?? 0);
  }
  return Number(size.estimate) >= 0 ? Math.round(Number(size.estimate)) : null;
}

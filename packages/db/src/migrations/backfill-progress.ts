import type { Session } from '../engines/session.js';
import { progressTable } from './tracking.js';

/**
 * How far a batched backfill got, kept in the `backfill` column of the
 * migration's `drizzle.__jam_progress` row and written in the transaction of
 * each batch, so it always names the last committed batch.
 */
export interface BackfillRecord {
  /** The segment (0-based) the backfill is; a record of another segment is stale. */
  segment: number;
  /** SHA-256 of the UPDATE whose batches these are, to tell a run that continues with an edited one. */
  statementHash?: string | undefined;
  /** The table, as the UPDATE names it. */
  table: string;
  /** The highest key of the last committed batch, as text; null before the first. */
  lastKey: string | null;
  /** Rows in the key ranges of the committed batches. */
  rows: number;
  batches: number;
  /** The table's row count when the backfill started (exact for a small table, else the planner's estimate). */
  estimatedTotal: number | null;
  /**
   * The highest key when the backfill started (null: the table was empty). Rows
   * inserted later are not visited: the code or the expand's trigger writing them
   * already fills them, and chasing them would keep a busy table's backfill going.
   * Absent in a record written before jam-db kept it: the next run reads it anew.
   */
  bound?: string | null | undefined;
}

export async function saveBackfillProgress(
  session: Session,
  tag: string,
  record: BackfillRecord,
): Promise<void> {
  await session.query(
    `update ${progressTable} set backfill = $2::jsonb, updated_at = now() where tag = $1`,
    [tag, JSON.stringify(record)],
  );
}

/** The backfill record of a migration's progress row, when it belongs to `segment`. */
export async function readBackfillProgress(
  session: Session,
  tag: string,
  segment: number,
): Promise<BackfillRecord | null> {
  const [row] = await session.query<{ backfill: BackfillRecord | string | null }>(
    `select backfill from ${progressTable} where tag = $1`,
    [tag],
  );
  const record = typeof row?.backfill === 'string' ? JSON.parse(row.backfill) : row?.backfill;
  return record && record.segment === segment ? (record as BackfillRecord) : null;
}

/** "1 200 000" */
export const groupDigits = (n: number): string =>
  Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ' ');

/** `backfill of "hot": 1 200 rows in 12 batches (last key 1200) of ~5 000` */
export function describeBackfill(record: BackfillRecord): string {
  const of = record.estimatedTotal === null ? '' : ` of ~${groupDigits(record.estimatedTotal)}`;
  const last = record.lastKey === null ? '' : ` (last key ${record.lastKey})`;
  return `backfill of ${record.table}: ${groupDigits(record.rows)} rows${of} in ${record.batches} batch${record.batches === 1 ? '' : 'es'}${last}`;
}

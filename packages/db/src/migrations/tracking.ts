import type { FolderLayout } from '../drizzle-kit/layout.js';
import type { Migration } from '../drizzle-kit/migration-folder.js';
import type { Session } from '../engines/session.js';
import type { BackfillRecord } from './backfill-progress.js';

/**
 * Applied migrations are recorded in drizzle's own table, so a database migrated
 * by `drizzle-kit migrate` can be continued by jam-db and the other way round.
 * What drizzle does not record (tag, when, how long, which @jam/db) lives in
 * `drizzle.__jam_migrations`, keyed by the drizzle row it describes.
 */
export const trackingSchema = 'drizzle';
export const drizzleTable = `"${trackingSchema}"."__drizzle_migrations"`;
export const jamTable = `"${trackingSchema}"."__jam_migrations"`;
/**
 * How far a migration that runs in segments got: one row while it is partly
 * applied, removed in the transaction that records it in drizzle's table. drizzle
 * never reads it, so drizzle's own table keeps its shape.
 */
export const progressTable = `"${trackingSchema}"."__jam_progress"`;

export interface AppliedRow {
  /** drizzle's serial id, also the order of application. */
  id: number;
  hash: string;
  /** drizzle writes the journal `when` of the migration here, not the time it ran. */
  createdAt: number | null;
  /** jam-db's tag, else the `name` drizzle-orm 1.0 records (its folder name). */
  tag: string | null;
  /** When jam-db or drizzle-orm 1.0 applied it; null for drizzle-orm 0.x. */
  appliedAt: string | null;
  durationMs: number | null;
  packageVersion: string | null;
  /** SHA-256 of the down script as it was when the migration was applied (null: none then). */
  downHash: string | null;
}

/**
 * drizzle-orm 1.0 adds `name` (the migration folder) and `applied_at` to its
 * table and decides what is pending by `name`. A table jam-db creates for a
 * 1.0 folder has them, so drizzle-kit 1.0 can continue; one for a 0.x folder
 * keeps 0.x's shape. An existing table is never altered: drizzle-orm 1.0
 * upgrades a 0.x table itself, filling `name` by matching `created_at`.
 */
const drizzleColumns = (layout: FolderLayout) =>
  layout === 'folders'
    ? `id SERIAL PRIMARY KEY,
      hash text NOT NULL,
      created_at bigint,
      name text,
      applied_at timestamp with time zone DEFAULT now()`
    : `id SERIAL PRIMARY KEY,
      hash text NOT NULL,
      created_at bigint`;

export async function ensureTrackingTables(session: Session, layout: FolderLayout): Promise<void> {
  await session.exec(`
    CREATE SCHEMA IF NOT EXISTS "${trackingSchema}";
    CREATE TABLE IF NOT EXISTS ${drizzleTable} (
      ${drizzleColumns(layout)}
    );
    CREATE TABLE IF NOT EXISTS ${jamTable} (
      drizzle_id integer PRIMARY KEY,
      tag text NOT NULL,
      hash text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now(),
      duration_ms integer NOT NULL,
      package_version text,
      down_hash text
    );
    ALTER TABLE ${jamTable} ADD COLUMN IF NOT EXISTS down_hash text;
    CREATE TABLE IF NOT EXISTS ${progressTable} (
      tag text PRIMARY KEY,
      hash text NOT NULL,
      applied_part_hash text NOT NULL,
      segments_done integer NOT NULL,
      segments_total integer NOT NULL,
      running_segment integer,
      running_hash text,
      started_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      package_version text
    );
    ALTER TABLE ${progressTable} ADD COLUMN IF NOT EXISTS backfill jsonb;
  `);
}

/** What the database says was applied, oldest first; empty when nothing ever ran. */
export async function readAppliedRows(session: Session): Promise<AppliedRow[]> {
  const [tables] = await session.query<{ drizzle: string | null; jam: string | null }>(
    `select to_regclass('${drizzleTable}')::text as drizzle, to_regclass('${jamTable}')::text as jam`,
  );
  if (!tables?.drizzle) return [];
  // to_jsonb: a table made by an older jam-db has no down_hash column yet, and
  // only drizzle-orm 1.0's table has name and applied_at.
  const drizzleName = "to_jsonb(d) ->> 'name'";
  const drizzleAppliedAt = "(to_jsonb(d) ->> 'applied_at')::timestamptz";
  const jamColumns = tables.jam
    ? `coalesce(j.tag, ${drizzleName}) as tag, coalesce(j.applied_at, ${drizzleAppliedAt}) as applied_at, j.duration_ms, j.package_version, to_jsonb(j) ->> 'down_hash' as down_hash`
    : `${drizzleName} as tag, ${drizzleAppliedAt} as applied_at, null::integer as duration_ms, null::text as package_version, null::text as down_hash`;
  const jamJoin = tables.jam ? `left join ${jamTable} j on j.drizzle_id = d.id` : '';
  const rows = await session.query<{
    id: number;
    hash: string;
    created_at: string | number | null;
    tag: string | null;
    applied_at: Date | string | null;
    duration_ms: number | null;
    package_version: string | null;
    down_hash: string | null;
  }>(
    `select d.id, d.hash, d.created_at, ${jamColumns} from ${drizzleTable} d ${jamJoin} order by d.id`,
  );
  return rows.map((row) => ({
    id: Number(row.id),
    hash: row.hash,
    createdAt: row.created_at === null ? null : Number(row.created_at),
    tag: row.tag,
    appliedAt: row.applied_at === null ? null : new Date(row.applied_at).toISOString(),
    durationMs: row.duration_ms,
    packageVersion: row.package_version,
    downHash: row.down_hash,
  }));
}

export interface AppliedEntry {
  migration: Migration;
  durationMs: number;
  downHash: string | null;
}

/**
 * Records a batch of applied migrations in both tables with one statement, so a
 * fresh database with hundreds of migrations pays one round trip, not hundreds.
 * drizzle ids follow the order of `entries`, which is the order they ran in.
 */
export async function recordApplied(
  session: Session,
  entries: AppliedEntry[],
  packageVersion: string,
): Promise<void> {
  if (entries.length === 0) return;
  const drizzleRow = (await hasNameColumn(session))
    ? { columns: 'hash, created_at, name, applied_at', values: 'hash, created_at, tag, now()' }
    : { columns: 'hash, created_at', values: 'hash, created_at' };
  await session.query(
    `with input as (
       select * from unnest($1::text[], $2::bigint[], $3::text[], $4::integer[], $6::text[])
         with ordinality as m(hash, created_at, tag, duration_ms, down_hash, position)
     ),
     inserted as (
       insert into ${drizzleTable} (${drizzleRow.columns})
       select ${drizzleRow.values} from input order by position
       returning id, hash, created_at
     )
     insert into ${jamTable} (drizzle_id, tag, hash, duration_ms, package_version, down_hash)
     select inserted.id, input.tag, input.hash, input.duration_ms, $5, input.down_hash
       from inserted join input using (hash, created_at)`,
    [
      entries.map((e) => e.migration.hash),
      entries.map((e) => e.migration.when),
      entries.map((e) => e.migration.tag),
      entries.map((e) => Math.round(e.durationMs)),
      packageVersion,
      entries.map((e) => e.downHash),
    ],
  );
}

/**
 * Whether drizzle's table has drizzle-orm 1.0's `name` column: then a row
 * without it would look pending to drizzle-kit 1.0, which would apply the
 * migration again.
 */
async function hasNameColumn(session: Session): Promise<boolean> {
  const [row] = await session.query<{ found: boolean }>(
    `select exists (
       select 1 from pg_attribute
        where attrelid = to_regclass('${drizzleTable}') and attname = 'name' and not attisdropped
     ) as found`,
  );
  return row?.found === true;
}

export async function removeApplied(session: Session, drizzleId: number): Promise<void> {
  await session.query(`delete from ${jamTable} where drizzle_id = $1`, [drizzleId]);
  await session.query(`delete from ${drizzleTable} where id = $1`, [drizzleId]);
}

/** Records that an applied migration's file was edited on purpose: the new hash becomes the applied one. */
export async function acceptEditedFile(
  session: Session,
  drizzleId: number,
  hash: string,
): Promise<void> {
  await session.query(`update ${drizzleTable} set hash = $1 where id = $2`, [hash, drizzleId]);
  await session.query(`update ${jamTable} set hash = $1 where drizzle_id = $2`, [hash, drizzleId]);
}

/** A migration applied in part: its first `segmentsDone` segments are committed. */
export interface SegmentProgress {
  tag: string;
  /** The file's hash when its last segment was committed. */
  hash: string;
  /** Fingerprint of the committed segments (see appliedPartHash). */
  appliedPartHash: string;
  segmentsDone: number;
  segmentsTotal: number;
  /**
   * A segment that runs outside a transaction and was started but not seen to
   * finish (0-based): a kill may have left it half done, e.g. an INVALID index.
   */
  runningSegment: number | null;
  /** SHA-256 of that segment's statement when it started, to tell whether the file changed it since. */
  runningHash: string | null;
  /** How far the batched UPDATE of a `-- jam-db:backfill` got (see backfill-progress.ts). */
  backfill?: BackfillRecord | null;
  startedAt: string;
  updatedAt: string;
}

/** Partly applied migrations; empty when none (or when the table does not exist yet). */
export async function readSegmentProgress(session: Session): Promise<SegmentProgress[]> {
  const [table] = await session.query<{ progress: string | null }>(
    `select to_regclass('${progressTable}')::text as progress`,
  );
  if (!table?.progress) return [];
  const rows = await session.query<{
    tag: string;
    hash: string;
    applied_part_hash: string;
    segments_done: number;
    segments_total: number;
    running_segment: number | null;
    running_hash: string | null;
    backfill?: BackfillRecord | null;
    started_at: Date | string;
    updated_at: Date | string;
  }>(`select * from ${progressTable} order by started_at`);
  return rows.map((row) => ({
    tag: row.tag,
    hash: row.hash,
    appliedPartHash: row.applied_part_hash,
    segmentsDone: Number(row.segments_done),
    segmentsTotal: Number(row.segments_total),
    runningSegment: row.running_segment === null ? null : Number(row.running_segment),
    runningHash: row.running_hash,
    backfill: row.backfill ?? null,
    startedAt: new Date(row.started_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  }));
}

export async function saveSegmentProgress(
  session: Session,
  progress: Omit<SegmentProgress, 'startedAt' | 'updatedAt'>,
  packageVersion: string,
): Promise<void> {
  await session.query(
    `insert into ${progressTable}
       (tag, hash, applied_part_hash, segments_done, segments_total, running_segment, running_hash, package_version)
     values ($1, $2, $3, $4, $5, $6, $7, $8)
     on conflict (tag) do update set
       hash = excluded.hash, applied_part_hash = excluded.applied_part_hash,
       segments_done = excluded.segments_done, segments_total = excluded.segments_total,
       running_segment = excluded.running_segment, running_hash = excluded.running_hash,
       package_version = excluded.package_version,
       updated_at = now()`,
    [
      progress.tag,
      progress.hash,
      progress.appliedPartHash,
      progress.segmentsDone,
      progress.segmentsTotal,
      progress.runningSegment,
      progress.runningHash,
      packageVersion,
    ],
  );
}

export async function clearSegmentProgress(session: Session, tag: string): Promise<void> {
  await session.query(`delete from ${progressTable} where tag = $1`, [tag]);
}

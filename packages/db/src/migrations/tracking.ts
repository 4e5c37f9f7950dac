import type { Session } from '../engines/session.js';
import type { Migration } from './journal.js';

/**
 * Applied migrations are recorded in drizzle's own table, so a database migrated
 * by `drizzle-kit migrate` can be continued by jam-db and the other way round.
 * What drizzle does not record (tag, when, how long, which @jam/db) lives in
 * `drizzle.__jam_migrations`, keyed by the drizzle row it describes.
 */
export const trackingSchema = 'drizzle';
export const drizzleTable = `"${trackingSchema}"."__drizzle_migrations"`;
export const jamTable = `"${trackingSchema}"."__jam_migrations"`;

export interface AppliedRow {
  /** drizzle's serial id, also the order of application. */
  id: number;
  hash: string;
  /** drizzle writes the journal `when` of the migration here, not the time it ran. */
  createdAt: number | null;
  tag: string | null;
  appliedAt: string | null;
  durationMs: number | null;
  packageVersion: string | null;
  /** SHA-256 of the down script as it was when the migration was applied (null: none then). */
  downHash: string | null;
}

export async function ensureTrackingTables(session: Session): Promise<void> {
  await session.exec(`
    CREATE SCHEMA IF NOT EXISTS "${trackingSchema}";
    CREATE TABLE IF NOT EXISTS ${drizzleTable} (
      id SERIAL PRIMARY KEY,
      hash text NOT NULL,
      created_at bigint
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
  `);
}

/** What the database says was applied, oldest first; empty when nothing ever ran. */
export async function readAppliedRows(session: Session): Promise<AppliedRow[]> {
  const [tables] = await session.query<{ drizzle: string | null; jam: string | null }>(
    `select to_regclass('${drizzleTable}')::text as drizzle, to_regclass('${jamTable}')::text as jam`,
  );
  if (!tables?.drizzle) return [];
  const jamColumns = tables.jam
    ? // to_jsonb: a table made by an older jam-db has no down_hash column yet.
      "j.tag, j.applied_at, j.duration_ms, j.package_version, to_jsonb(j) ->> 'down_hash' as down_hash"
    : 'null::text as tag, null::timestamptz as applied_at, null::integer as duration_ms, null::text as package_version, null::text as down_hash';
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
  await session.query(
    `with input as (
       select * from unnest($1::text[], $2::bigint[], $3::text[], $4::integer[], $6::text[])
         with ordinality as m(hash, created_at, tag, duration_ms, down_hash, position)
     ),
     inserted as (
       insert into ${drizzleTable} (hash, created_at)
       select hash, created_at from input order by position
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

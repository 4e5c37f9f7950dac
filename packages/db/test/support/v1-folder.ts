import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * drizzle-kit 1.0's sample folder beside the checkout (../shared/drizzle-kit-v1,
 * written by drizzle-kit generate 1.0.0-rc.5); tests read it from there.
 */
export const v1SampleDir = fileURLToPath(
  new URL('../../../../../shared/drizzle-kit-v1/sample', import.meta.url),
);
export const v1SamplePresent = existsSync(v1SampleDir);

export interface FolderMigration {
  /** `<YYYYMMDDhhmmss>_<name>`, the folder name drizzle-kit 1.0 gives it. */
  tag: string;
  sql: string;
}

/**
 * A small history in drizzle-kit 1.0's layout, hand-written in the form its
 * generate writes: an enum and a table, a second table with a foreign key,
 * then a column.
 */
export const v1History: FolderMigration[] = [
  {
    tag: '20260101090000_init',
    sql: `CREATE TYPE "kind" AS ENUM('a', 'b');--> statement-breakpoint
CREATE TABLE "members" (
\t"id" integer PRIMARY KEY,
\t"name" text NOT NULL,
\t"kind" "kind"
);`,
  },
  {
    tag: '20260102090000_notes',
    sql: `CREATE TABLE "notes" (
\t"id" integer PRIMARY KEY,
\t"member_id" integer,
\t"body" text
);
--> statement-breakpoint
ALTER TABLE "notes" ADD CONSTRAINT "notes_member_id_members_id_fkey" FOREIGN KEY ("member_id") REFERENCES "members"("id");`,
  },
  {
    tag: '20260103090000_note_title',
    sql: 'ALTER TABLE "notes" ADD COLUMN "title" text;',
  },
];

/** Writes `migrations` as `<tag>/migration.sql` (+ a snapshot.json naming its parent) into a new folder. */
export function writeV1Folder(
  migrations: FolderMigration[] = v1History,
  dir = mkdtempSync(join(tmpdir(), 'jam-v1-')),
): string {
  let previous = '00000000-0000-0000-0000-000000000000';
  for (const [position, migration] of migrations.entries()) {
    mkdirSync(join(dir, migration.tag), { recursive: true });
    writeFileSync(join(dir, migration.tag, 'migration.sql'), migration.sql);
    const id = `00000000-0000-0000-0000-${String(position + 1).padStart(12, '0')}`;
    writeFileSync(
      join(dir, migration.tag, 'snapshot.json'),
      JSON.stringify({ version: '8', dialect: 'postgres', id, prevIds: [previous], ddl: [] }),
    );
    previous = id;
  }
  return dir;
}

/** `created_at` as drizzle-orm 1.0 records it: the folder's UTC timestamp in ms. */
export const folderMillis = (tag: string): number =>
  Date.UTC(
    Number(tag.slice(0, 4)),
    Number(tag.slice(4, 6)) - 1,
    Number(tag.slice(6, 8)),
    Number(tag.slice(8, 10)),
    Number(tag.slice(10, 12)),
    Number(tag.slice(12, 14)),
  );

/**
 * drizzle's tracking table exactly as drizzle-orm 1.0's `migrate` creates it
 * (checked against drizzle-kit migrate 1.0.0-rc.5 on PostgreSQL 15).
 */
export const drizzleV1TrackingTable = `
  CREATE SCHEMA IF NOT EXISTS "drizzle";
  CREATE TABLE IF NOT EXISTS "drizzle"."__drizzle_migrations" (
    id SERIAL PRIMARY KEY,
    hash text NOT NULL,
    created_at bigint,
    name text,
    applied_at timestamp with time zone DEFAULT now()
  );`;

/** drizzle's tracking table as drizzle-orm 0.x's `migrate` creates it. */
export const drizzleV0TrackingTable = `
  CREATE SCHEMA IF NOT EXISTS "drizzle";
  CREATE TABLE IF NOT EXISTS "drizzle"."__drizzle_migrations" (
    id SERIAL PRIMARY KEY,
    hash text NOT NULL,
    created_at bigint
  );`;

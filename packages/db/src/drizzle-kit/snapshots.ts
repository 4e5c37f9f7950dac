import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Migration, MigrationFolder } from './migration-folder.js';

/**
 * drizzle-kit's snapshot of the schema after a migration (meta/<idx>_snapshot.json),
 * the parts `generate-down` reads and rewrites. Unknown fields pass through.
 */
export interface Snapshot {
  id?: string;
  prevId?: string;
  version: string;
  dialect: string;
  tables: Record<string, SnapshotTable>;
  enums: Record<string, { name: string; schema: string; values: string[] }>;
  schemas: Record<string, string>;
  sequences: Record<string, unknown>;
  roles?: Record<string, unknown>;
  policies?: Record<string, unknown>;
  views?: Record<string, unknown>;
  [other: string]: unknown;
}

export interface SnapshotTable {
  name: string;
  schema: string;
  columns: Record<string, SnapshotColumn>;
  indexes: Record<
    string,
    { name: string; columns: { expression: string; isExpression: boolean }[] }
  >;
  foreignKeys: Record<
    string,
    {
      name: string;
      tableFrom: string;
      tableTo: string;
      schemaTo?: string;
      columnsFrom: string[];
      columnsTo: string[];
    }
  >;
  compositePrimaryKeys: Record<string, { name: string; columns: string[] }>;
  uniqueConstraints: Record<string, { name: string; columns: string[] }>;
  checkConstraints?: Record<string, { name: string; value: string }>;
  policies?: Record<string, unknown>;
  [other: string]: unknown;
}

export interface SnapshotColumn {
  name: string;
  type: string;
  typeSchema?: string;
  [other: string]: unknown;
}

/** The snapshot of an empty database, the "before" of a folder's first migration. */
export const emptySnapshot = (): Snapshot => ({
  id: '00000000-0000-0000-0000-000000000000',
  prevId: '',
  version: '7',
  dialect: 'postgresql',
  tables: {},
  enums: {},
  schemas: {},
  sequences: {},
  roles: {},
  policies: {},
  views: {},
  _meta: { schemas: {}, tables: {}, columns: {} },
});

/**
 * The snapshot files of a folder by their prefix: drizzle-kit names each after
 * its migration's tag prefix, which is the index (`0007`), Unix seconds
 * (`1747760252`) or a timestamp (`20241127105919`) depending on its settings,
 * and a folder may switch between them.
 */
function snapshotFiles(folder: MigrationFolder): Map<string, string> {
  const files = new Map<string, string>();
  const meta = join(folder.dir, 'meta');
  if (!existsSync(meta)) return files;
  for (const file of readdirSync(meta)) {
    const match = /^(.+)_snapshot\.json$/.exec(file);
    if (match) files.set(match[1]!, join(meta, file));
  }
  return files;
}

const ids = new Map<string, { stamp: string; id: string | undefined }>();

/** A snapshot file's `id`, remembered while the file is unchanged: a chain walk reads each file once. */
function snapshotId(path: string): string | undefined {
  const { mtimeMs, size } = statSync(path);
  const stamp = `${mtimeMs}:${size}`;
  const known = ids.get(path);
  if (known?.stamp === stamp) return known.id;
  const { id } = JSON.parse(readFileSync(path, 'utf8')) as { id?: string };
  ids.set(path, { stamp, id });
  return id;
}

const tagPrefix = (tag: string) => tag.split('_')[0]!;

function snapshotPath(folder: MigrationFolder, migration: Migration): string | null {
  const files = snapshotFiles(folder);
  return (
    files.get(tagPrefix(migration.tag)) ?? files.get(String(migration.idx).padStart(4, '0')) ?? null
  );
}

async function loadSnapshot(path: string): Promise<Snapshot | null> {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as Snapshot;
  if (raw.dialect !== 'postgresql' && raw.dialect !== 'pg') return null;
  // Folders made by older drizzle-kit versions hold older snapshot formats.
  const upgraded =
    raw.version === '7'
      ? raw
      : ((await import('drizzle-kit/api')).upPgSnapshot(raw as never) as unknown as Snapshot);
  return withAllSections(upgraded);
}

/** Sections older drizzle-kit versions leave out read as empty, so every consumer can walk them. */
function withAllSections(snapshot: Snapshot): Snapshot {
  for (const section of ['tables', 'enums', 'schemas', 'sequences', 'roles', 'policies', 'views'])
    snapshot[section] ??= {};
  for (const table of Object.values(snapshot.tables)) {
    for (const section of [
      'columns',
      'indexes',
      'foreignKeys',
      'compositePrimaryKeys',
      'uniqueConstraints',
      'checkConstraints',
      'policies',
    ])
      table[section] ??= {};
  }
  return snapshot;
}

/**
 * The snapshot after `migration`, or null when the folder has none for it. A
 * drizzle-kit 1.0 folder's `<tag>/snapshot.json` (format 8: one flat `ddl`
 * list) reads as none: the differ of drizzle-kit 0.31 that jam-db runs takes
 * format 7 only, so down scripts come from schema states on a scratch
 * database and `check` says it cannot compare the TypeScript schema.
 */
export async function readSnapshot(
  folder: MigrationFolder,
  migration: Migration,
): Promise<Snapshot | null> {
  if (folder.layout === 'folders') return null;
  const path = snapshotPath(folder, migration);
  return path ? loadSnapshot(path) : null;
}

/**
 * The schema before and after the migration at `position`, as drizzle-kit's
 * snapshots record it. "Before" is the snapshot the "after" snapshot names as
 * its parent (`prevId`), which skips a hand-written migration that has no
 * snapshot of its own; when the chain is broken (a parent no file holds, as
 * merges of parallel branches leave), the previous migration's snapshot.
 */
export async function snapshotsAround(
  folder: MigrationFolder,
  position: number,
): Promise<{ before: Snapshot | null; after: Snapshot | null }> {
  const migration = folder.migrations[position]!;
  const after = await readSnapshot(folder, migration);
  if (position === 0) return { before: emptySnapshot(), after };
  if (after?.prevId) {
    const own = snapshotPath(folder, migration);
    for (const path of snapshotFiles(folder).values()) {
      if (path !== own && snapshotId(path) === after.prevId)
        return { before: await loadSnapshot(path), after };
    }
    if (after.prevId === emptySnapshot().id) return { before: emptySnapshot(), after };
  }
  return { before: await readSnapshot(folder, folder.migrations[position - 1]!), after };
}

export const tableKey = (schema: string, name: string) => `${schema || 'public'}.${name}`;

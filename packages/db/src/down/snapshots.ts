import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Migration, MigrationFolder } from '../migrations/journal.js';

/**
 * drizzle-kit's snapshot of the schema after a migration (meta/<idx>_snapshot.json),
 * the parts `generate-down` reads and rewrites. Unknown fields pass through.
 */
export interface Snapshot {
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

const snapshotPath = (folder: MigrationFolder, migration: Migration) =>
  join(folder.dir, 'meta', `${String(migration.idx).padStart(4, '0')}_snapshot.json`);

/** The snapshot after `migration`, or null when the folder has none for it. */
export async function readSnapshot(
  folder: MigrationFolder,
  migration: Migration,
): Promise<Snapshot | null> {
  const path = snapshotPath(folder, migration);
  if (!existsSync(path)) return null;
  const raw = JSON.parse(readFileSync(path, 'utf8')) as Snapshot;
  if (raw.dialect !== 'postgresql' && raw.dialect !== 'pg') return null;
  if (raw.version === '7') return raw;
  // Folders made by older drizzle-kit versions hold older snapshot formats.
  const { upPgSnapshot } = await import('drizzle-kit/api');
  return upPgSnapshot(raw as never) as unknown as Snapshot;
}

export const tableKey = (schema: string, name: string) => `${schema || 'public'}.${name}`;

import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { SessionOptions } from '../session.js';
import { extensionBundles, needsBundle, refuseUnshippedExtensions } from './extensions.js';
import { lockFolder } from './folder-lock.js';
import { createMemoryPglite } from './template.js';

export interface OpenPglite {
  client: PGlite;
  close(): Promise<void>;
}

/**
 * Opens PGlite on a folder (holding its lock until close) or in memory, with the
 * extensions the work will create and, for a folder, those its database already
 * has: a table with a `vector` column cannot even be read without that bundle.
 */
export async function openPglite(
  dataDir: string | null,
  options: Pick<SessionOptions, 'folderLockTimeoutMs' | 'purpose' | 'extensions'>,
): Promise<OpenPglite> {
  const needs = options.extensions ?? [];
  refuseUnshippedExtensions(needs);
  const wanted = needs.map((need) => need.name);
  if (dataDir === null) {
    const client = await createMemoryPglite(await extensionBundles(wanted));
    return { client, close: () => client.close() };
  }
  const lock = await lockFolder(dataDir, options.purpose, options.folderLockTimeoutMs);
  try {
    mkdirSync(dataDir, { recursive: true });
    const client = await openFolder(dataDir, wanted);
    return {
      client,
      async close() {
        try {
          await client.close();
        } finally {
          lock.release();
        }
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}

/**
 * PGlite takes its bundles when it starts, and what a folder's database has
 * installed can only be read once it runs: so look, and open again with the
 * missing bundles when there are any (only the first open after an extension
 * was created some other way than by these migrations pays for that).
 */
async function openFolder(dataDir: string, wanted: string[]): Promise<PGlite> {
  const client = await PGlite.create(dataDir, { extensions: await extensionBundles(wanted) });
  let missing: string[];
  try {
    missing = (await client.query<{ extname: string }>('select extname from pg_extension')).rows
      .map((row) => row.extname)
      .filter((name) => needsBundle(name) && !wanted.includes(name));
  } catch (error) {
    await client.close().catch(() => undefined);
    throw error;
  }
  if (missing.length === 0) return client;
  await client.close();
  return PGlite.create(dataDir, { extensions: await extensionBundles([...wanted, ...missing]) });
}

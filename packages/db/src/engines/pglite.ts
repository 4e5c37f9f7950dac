import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { lockFolder } from './folder-lock.js';
import { createMemoryPglite } from './pglite-template.js';
import type { Session, SessionOptions } from './session.js';

export interface OpenPglite {
  client: PGlite;
  close(): Promise<void>;
}

/** Opens PGlite on a folder (holding its lock until close) or in memory. */
export async function openPglite(
  dataDir: string | null,
  options: Pick<SessionOptions, 'folderLockTimeoutMs' | 'purpose'>,
): Promise<OpenPglite> {
  if (dataDir === null) {
    const client = await createMemoryPglite();
    return { client, close: () => client.close() };
  }
  const lock = await lockFolder(dataDir, options.purpose, options.folderLockTimeoutMs);
  try {
    mkdirSync(dataDir, { recursive: true });
    const client = await PGlite.create(dataDir);
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

export function pgliteSession(open: OpenPglite): Session {
  const { client } = open;
  return {
    engine: 'pglite',
    async query<Row>(text: string, params?: unknown[]) {
      return (await client.query<Row>(text, params)).rows;
    },
    async exec(text: string) {
      await client.exec(text);
    },
    close: () => open.close(),
  };
}

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type JamDb, readMigrationStatus } from '@jam/db';
import { Hono } from 'hono';

const docsDir = join(
  dirname(createRequire(import.meta.url).resolve('@jam/db/package.json')),
  'docs',
);

/**
 * The schema diagram `jam-db erd` drew and the migration status of the database
 * the API runs on. No auth: the schema and migration tags are not secrets. The
 * files are read per request, so `pnpm erd` during `pnpm dev` shows at once.
 */
export const schemaRoutes = (jam: Pick<JamDb, 'db' | 'engine'>) =>
  new Hono().get('/', async (c) => {
    const [svg, mermaid, status] = await Promise.all([
      readFile(join(docsDir, 'schema.svg'), 'utf8'),
      readFile(join(docsDir, 'schema.mmd'), 'utf8'),
      readMigrationStatus(jam),
    ]);
    return c.json({
      diagram: { svg, mermaid },
      migrations: {
        applied: status.applied,
        pending: status.pending,
        lastMigratedBy: status.lastMigratedBy,
      },
    });
  });

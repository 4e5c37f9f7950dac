import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type Extensions, PGlite } from '@electric-sql/pglite';

/**
 * An empty PGlite cluster, kept as a tarball in the OS temp folder. Creating an
 * in-memory PGlite runs initdb (about 2 s); loading this takes a fifth of that,
 * which is most of the time `verify` and `check` spend on their scratch databases.
 */
// Keyed by the installed PGlite version: another version may not read this cluster.
const templatePath = join(tmpdir(), 'jam-db', `pglite-${installedPgliteVersion()}-empty.tar`);

/**
 * The version of the PGlite that is loaded, read from its own package.json
 * (our package.json may name a pnpm catalog entry rather than a version).
 * PGlite does not export its package.json, so it is found beside its entry file.
 */
export function installedPgliteVersion(): string {
  try {
    let dir = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
    for (let depth = 0; depth < 4; depth++, dir = dirname(dir)) {
      const path = join(dir, 'package.json');
      if (!existsSync(path)) continue;
      const manifest = JSON.parse(readFileSync(path, 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (manifest.name === '@electric-sql/pglite' && manifest.version) return manifest.version;
    }
  } catch {
    // Fall through: an unknown version gets a cache of its own.
  }
  return 'unknown';
}

function readTemplate(): Blob | null {
  try {
    return new Blob([readFileSync(templatePath)]);
  } catch {
    return null;
  }
}

/** Written under a private name, then renamed: a concurrent reader never sees half a file. */
async function saveTemplate(client: PGlite): Promise<void> {
  try {
    const dump = await client.dumpDataDir('none');
    mkdirSync(join(tmpdir(), 'jam-db'), { recursive: true });
    const draft = `${templatePath}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(draft, Buffer.from(await dump.arrayBuffer()));
    renameSync(draft, templatePath);
  } catch {
    // Only a cache: without it the next run pays for initdb again.
  }
}

/**
 * A fresh, empty in-memory PGlite with these extension bundles loaded. Bundles
 * live outside the data folder, so one cached cluster serves every set of them.
 */
export async function createMemoryPglite(extensions: Extensions = {}): Promise<PGlite> {
  const template = readTemplate();
  if (template) {
    try {
      return await PGlite.create({ loadDataDir: template, extensions });
    } catch {
      // A damaged cache file: fall back to initdb below and write it anew.
    }
  }
  const client = await PGlite.create({ extensions });
  await saveTemplate(client);
  return client;
}

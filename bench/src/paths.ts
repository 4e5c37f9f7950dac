import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the benches read from and write to, whatever folder they were started in. */
export const benchDir = dirname(dirname(fileURLToPath(import.meta.url)));
export const repoRoot = dirname(benchDir);
/** The real drizzle-kit histories beside the checkout (../shared/corpora; never copied in). */
export const corporaDir = resolve(repoRoot, '..', 'shared', 'corpora');
export const workspaceJamDbBin = join(repoRoot, 'packages', 'db', 'bin', 'jam-db.js');

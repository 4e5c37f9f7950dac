import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder of @jam/db itself, found by walking up from this module. Works the
 * same from `src/` (tests), from `dist/` (built) and from any bundle chunk.
 */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('@jam/db: cannot find its own package.json');
    dir = parent;
  }
  return dir;
}

import type { MigrationFolder } from '../drizzle-kit/migration-folder.js';
import { strayMigrationFiles, strayWarning } from '../migrations/strays.js';
import type { Output } from './output.js';

/** Warns about each `.sql` file the journal does not list; returns them for a `--json` document. */
export function reportStrays(out: Output, folder: MigrationFolder): { file: string }[] {
  const files = strayMigrationFiles(folder);
  for (const file of files) out.warning(strayWarning(folder, file));
  return files.map((file) => ({ file }));
}

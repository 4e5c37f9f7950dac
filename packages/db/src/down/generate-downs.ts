import { readDownScript } from '../migrations/down-script.js';
import type { MigrationFolder } from '../migrations/journal.js';
import { deriveDown } from './derive-down.js';
import { writeDownScript } from './write-down.js';

export interface WrittenDown {
  tag: string;
  path: string;
  dataLoss: string[];
  manual: string[];
  notes: string[];
}

/**
 * Writes the down script of every migration of the folder that lacks one (all
 * of them with `force`), oldest first, reporting each as it is written.
 */
export async function generateDownScripts(
  folder: MigrationFolder,
  options: { force?: boolean; onWritten?: (written: WrittenDown) => void } = {},
): Promise<WrittenDown[]> {
  const written: WrittenDown[] = [];
  for (const [position, migration] of folder.migrations.entries()) {
    if (!options.force && readDownScript(folder.dir, migration.tag)) continue;
    const down = await deriveDown(folder, position);
    const path = writeDownScript(folder.dir, migration.tag, down);
    const entry = {
      tag: migration.tag,
      path,
      dataLoss: down.dataLoss,
      manual: down.manual,
      notes: down.notes,
    };
    written.push(entry);
    options.onWritten?.(entry);
  }
  return written;
}

import type { Target } from '../client/target.js';
import type { MigrationFolder } from '../drizzle-kit/migration-folder.js';
import { readDownScript } from '../migrations/down-script.js';
import { type DerivedDown, deriveDown } from './derive-down.js';
import { deriveDownsOnScratch } from './scratch-derivation.js';
import { writeDownScript } from './write-down.js';

export interface WrittenDown {
  tag: string;
  path: string;
  dataLoss: string[];
  manual: string[];
  notes: string[];
}

export interface GenerateDownOptions {
  /** Write every down script again, not only the missing ones. */
  force?: boolean;
  /**
   * Where to build a scratch database (PGlite in memory, or a temporary
   * database on this server) to derive the scripts from real schema states.
   * Without it, or when none can be opened, they come from snapshots and SQL.
   */
  home?: Target;
  onWritten?: (written: WrittenDown) => void;
  onNotice?: (line: string) => void;
}

/** Writes the down script of every migration of the folder that lacks one (all of them with `force`), oldest first. */
export async function generateDownScripts(
  folder: MigrationFolder,
  options: GenerateDownOptions = {},
): Promise<WrittenDown[]> {
  const wanted = new Set(
    folder.migrations.flatMap((migration, position) =>
      options.force || !readDownScript(folder.dir, migration.tag) ? [position] : [],
    ),
  );
  const downs = await deriveDowns(folder, wanted, options);
  const written: WrittenDown[] = [];
  for (const position of [...wanted].sort((a, b) => a - b)) {
    const { tag } = folder.migrations[position]!;
    const down = downs.get(position)!;
    const path = writeDownScript(folder.dir, tag, down);
    const entry = { tag, path, dataLoss: down.dataLoss, manual: down.manual, notes: down.notes };
    written.push(entry);
    options.onWritten?.(entry);
  }
  return written;
}

export async function deriveDowns(
  folder: MigrationFolder,
  wanted: Set<number>,
  options: Pick<GenerateDownOptions, 'home' | 'onNotice'>,
): Promise<Map<number, DerivedDown>> {
  if (wanted.size === 0) return new Map();
  if (options.home) {
    try {
      return await deriveDownsOnScratch(folder, wanted, options.home);
    } catch (error) {
      options.onNotice?.(
        `No scratch database could be opened (${(error as Error).message.split('\n')[0]!.replace(/\.$/, '')}); the down scripts are derived from snapshots and SQL alone.`,
      );
    }
  }
  const downs = new Map<number, DerivedDown>();
  for (const position of wanted) downs.set(position, await deriveDown(folder, position));
  return downs;
}

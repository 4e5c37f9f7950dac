import type { Migration, MigrationFolder } from '../drizzle-kit/migration-folder.js';
import { JamDbError } from '../errors.js';
import { type DownScript, downScriptPath, readDownScript } from './down-script.js';

/** Recorded at apply time, so a rollback can tell when the down script changed since. */
export function downHashOf(folder: MigrationFolder, migration: Migration): string | null {
  return readDownScript(folder.dir, migration.tag)?.hash ?? null;
}

/**
 * The down script of `migration`, when a rollback may run it: one that is
 * missing, still a placeholder, or loses data without --allow-data-loss stops
 * the rollback before anything runs.
 */
export function requireDownScript(
  folder: MigrationFolder,
  migration: Migration,
  allowDataLoss: boolean | undefined,
): DownScript {
  const script = readDownScript(folder.dir, migration.tag);
  if (!script) {
    throw new JamDbError(
      'down-script',
      `Migration ${migration.tag} has no down script (${downScriptPath(folder.dir, migration.tag)} beside ${migration.path}). Nothing was rolled back.`,
      'Write the down script, or run `pnpm db:generate-down` to derive it.',
    );
  }
  if (script.manual) {
    throw new JamDbError(
      'down-script',
      `The down script ${script.path} is marked "-- jam-db:manual": no one has written it yet. Nothing was rolled back.`,
      'Write the statements that undo the migration and remove the marker line.',
    );
  }
  if (script.dataLoss && !allowDataLoss) {
    const what = script.notes.length > 0 ? ` It ${script.notes.join(' ')}` : '';
    throw new JamDbError(
      'data-loss',
      `Rolling back ${migration.tag} loses data: ${script.path} is marked "-- jam-db:data-loss".${what} Nothing was rolled back.`,
      'Back up what you need, then run the rollback again with --allow-data-loss.',
    );
  }
  return script;
}

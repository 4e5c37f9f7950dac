import { deriveDown } from '../../down/derive-down.js';
import { writeDownScript } from '../../down/write-down.js';
import { readDownScript } from '../../migrations/down-script.js';
import { displayPath } from '../../migrations/failure.js';
import { readMigrationFolder } from '../../migrations/journal.js';
import type { CommandContext } from '../context.js';

export async function generateDownCommand(context: CommandContext): Promise<number> {
  const { args, out } = context;
  const folder = readMigrationFolder(args.migrationsDir);
  const force = args.values.force === true;
  const written: {
    tag: string;
    path: string;
    dataLoss: string[];
    manual: string[];
    notes: string[];
  }[] = [];
  for (const [position, migration] of folder.migrations.entries()) {
    if (!force && readDownScript(folder.dir, migration.tag)) continue;
    const down = await deriveDown(folder, migration, folder.migrations[position - 1]);
    const path = writeDownScript(folder.dir, migration.tag, down);
    written.push({
      tag: migration.tag,
      path,
      dataLoss: down.dataLoss,
      manual: down.manual,
      notes: down.notes,
    });
    const flags = [
      down.manual.length > 0 ? `MANUAL: ${down.manual.join('; ')}` : '',
      down.dataLoss.length > 0 ? `loses data: ${down.dataLoss.join('; ')}` : '',
    ].filter(Boolean);
    out.progress(
      `  wrote ${displayPath(path)}${flags.length > 0 ? `  (${flags.join('; ')})` : ''}`,
    );
  }
  const manual = written.filter((w) => w.manual.length > 0);
  if (args.json) {
    out.document({ written, manual: manual.map((w) => w.tag) });
    return 0;
  }
  if (written.length === 0) {
    out.line('Every migration already has a down script (use --force to write them again).');
  } else {
    out.line(
      `Wrote ${written.length} down script(s)${manual.length > 0 ? `; ${manual.length} marked "-- jam-db:manual" need a person` : ''}. Prove them with \`pnpm db:verify\`.`,
    );
  }
  return 0;
}

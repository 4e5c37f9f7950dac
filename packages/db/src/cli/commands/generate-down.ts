import { generateDownScripts } from '../../down/generate-downs.js';
import { readMigrationFolder } from '../../drizzle-kit/migration-folder.js';
import { displayPath } from '../../migrations/failure.js';
import { defineCommand } from '../command.js';

export const generateDown = defineCommand({
  name: 'generate-down',
  summary: 'write missing <tag>.down.sql scripts',
  options: { force: { kind: 'flag' } },
  async run({ args, out, target }) {
    const folder = readMigrationFolder(args.migrationsDir);
    const written = await generateDownScripts(folder, {
      force: args.values.force,
      home: target,
      onNotice: (line) => out.progress(line),
      onWritten: (down) => {
        const flags = [
          down.manual.length > 0 ? `MANUAL: ${down.manual.join('; ')}` : '',
          down.dataLoss.length > 0 ? `loses data: ${down.dataLoss.join('; ')}` : '',
        ].filter(Boolean);
        out.progress(
          `  wrote ${displayPath(down.path)}${flags.length > 0 ? `  (${flags.join('; ')})` : ''}`,
        );
      },
    });
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
  },
});

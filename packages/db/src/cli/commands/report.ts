import { readMigrationFolder } from '../../drizzle-kit/migration-folder.js';
import { migrationReport } from '../../report/migration-report.js';
import { defineCommand } from '../command.js';

export const report = defineCommand({
  name: 'report',
  summary: 'markdown review of one migration for a pull request',
  options: {},
  positional: '<tag>',
  async run({ args, out, target }) {
    const tag = args.positionals[0];
    if (!tag)
      throw args.usageError(
        'report needs the tag of a migration, e.g. `pnpm db:report 0001_jam-001`.',
      );
    const live = process.env.DATABASE_URL ? target : null;
    const markdown = await migrationReport(readMigrationFolder(args.migrationsDir), tag, live);
    if (args.json) out.document({ tag, markdown });
    else out.line(markdown);
    return 0;
  },
});

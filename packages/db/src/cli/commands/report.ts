import { readMigrationFolder } from '../../drizzle-kit/migration-folder.js';
import { migrationReport } from '../../report/migration-report.js';
import { usageError } from '../args.js';
import type { CommandContext } from '../context.js';

export async function reportCommand(context: CommandContext): Promise<number> {
  const { args, out, target } = context;
  const tag = args.positionals[0];
  if (!tag)
    throw usageError(
      'report needs the tag of a migration, e.g. `pnpm db:report 0001_jam-001`.',
      'report',
    );
  const live = process.env.DATABASE_URL ? target : null;
  const markdown = await migrationReport(readMigrationFolder(args.migrationsDir), tag, live);
  if (args.json) out.document({ tag, markdown });
  else out.line(markdown);
  return 0;
}

import { readMigrationFolder } from '../../drizzle-kit/migration-folder.js';
import { migrationReport } from '../../report/migration-report.js';
import { type CommandContext, defineCommand } from '../command.js';
import type { OptionSpecs } from '../options.js';

const options = {} as const satisfies OptionSpecs;

export const report = defineCommand({
  name: 'report',
  synopsis: '<tag>',
  summary: 'markdown review of one migration for a pull request',
  options,
  takesPositionals: true,
  run,
});

async function run(context: CommandContext<typeof options>): Promise<number> {
  const { args, out, target } = context;
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
}

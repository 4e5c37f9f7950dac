import { baselineDatabase } from '../../baseline/adopt-database.js';
import { liveSessionSettings, openLockingSession } from '../../drift/live-session.js';
import { readMigrationFolder } from '../../drizzle-kit/migration-folder.js';
import { usageError } from '../args.js';
import { type CommandContext, databaseLabel } from '../context.js';

export async function baselineCommand(context: CommandContext): Promise<number> {
  const { args, out, target } = context;
  const to = args.values.to as string | undefined;
  if (to === undefined)
    throw usageError(
      'baseline needs --to <tag>: the newest migration the database already has.',
      'baseline',
    );
  const settings = liveSessionSettings(context);
  const folder = readMigrationFolder(args.migrationsDir);
  const result = await baselineDatabase({
    target,
    folder,
    to,
    lockWaitMs: settings.lockWaitMs,
    openLive: () => openLockingSession(context, settings),
    onCompare: () => out.progress(`Comparing ${databaseLabel(context)} with the schema at ${to}`),
  });
  if (args.json) {
    out.document({ tag: to, recorded: result.recorded, pending: result.pending });
    return 0;
  }
  out.line(`The schema matches ${to} (compared with it built on ${result.scratch}).`);
  out.line(
    `Recorded ${result.recorded.length} migration(s) as applied: ${result.recorded.join(', ')}.`,
  );
  out.line(
    result.pending.length > 0
      ? `\`pnpm db:migrate\` continues with ${result.pending.join(', ')}.`
      : 'Nothing is pending: the database is up to date.',
  );
  return 0;
}

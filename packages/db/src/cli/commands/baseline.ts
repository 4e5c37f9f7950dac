import { baselineDatabase } from '../../baseline/adopt-database.js';
import { openLockingSession } from '../../drift/live-session.js';
import { readMigrationFolder } from '../../drizzle-kit/migration-folder.js';
import { defineCommand } from '../command.js';
import { databaseLabel, liveSessionOptions } from '../context.js';

export const baseline = defineCommand({
  name: 'baseline',
  summary: 'adopt an existing database: verify its schema, record migrations up to <tag>',
  options: {
    to: {
      kind: 'text',
      value: '<tag>',
      required: 'the newest migration the database already has',
    },
  },
  async run(context) {
    const { args, out, target } = context;
    const to = args.values.to;
    const live = liveSessionOptions(context);
    const folder = readMigrationFolder(args.migrationsDir);
    const result = await baselineDatabase({
      target,
      folder,
      to,
      lockWaitMs: live.lockWaitMs,
      openLive: () => openLockingSession(live),
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
  },
});

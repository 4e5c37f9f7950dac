import { withExtensionHint } from '../../migrations/extension-hint.js';
import { displayPath } from '../../migrations/failure.js';
import type { CommandContext } from '../context.js';
import { createMigrator, databaseLabel } from '../context.js';
import { formatDuration } from '../output.js';
import { reportStrays } from '../stray-warnings.js';

export async function migrateCommand(context: CommandContext): Promise<number> {
  const { args, out } = context;
  const migrator = createMigrator(context);
  const dryRun = args.values['dry-run'] === true;
  const folder = displayPath(migrator.folder.dir);
  const strays = reportStrays(out, migrator.folder);
  out.progress(
    `${dryRun ? 'Dry run against' : 'Migrating'} ${databaseLabel(context)} from ${folder}`,
  );
  const started = performance.now();
  const steps = await migrator
    .migrate({
      to: args.values.to as string | undefined,
      dryRun,
      allowOutOfOrder: args.values['allow-out-of-order'] === true,
      acceptChanged: args.values['accept-changed'] as string[] | undefined,
    })
    .catch((error: unknown) => {
      throw withExtensionHint(error);
    });
  const total = performance.now() - started;

  if (args.json) {
    out.document({
      dryRun,
      applied: dryRun
        ? []
        : steps.map((s) => ({ tag: s.tag, durationMs: Math.round(s.durationMs) })),
      pending: dryRun
        ? steps.map((s) => ({ tag: s.tag, transaction: s.mode.kind, statements: s.statements }))
        : [],
      durationMs: Math.round(total),
      strays,
    });
    return 0;
  }
  if (steps.length === 0) {
    out.line('Nothing to migrate: the database is up to date.');
  } else if (dryRun) {
    for (const step of steps) {
      const how =
        step.mode.kind === 'shared-transaction'
          ? ''
          : ` (${step.mode.kind.replace('-', ' ')}: ${step.mode.reason})`;
      out.line(`\n-- ${step.tag}${how}`);
      out.line(
        step.statements
          .map((s) => `${s.trimEnd()}${s.trimEnd().endsWith(';') ? '' : ';'}`)
          .join('\n'),
      );
    }
    out.line(`\nDry run: ${steps.length} migration(s) would be applied; nothing was changed.`);
  } else {
    out.line(`Applied ${steps.length} migration(s) in ${formatDuration(total)}.`);
  }
  return 0;
}

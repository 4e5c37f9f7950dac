import { downScriptName } from '../../migrations/down-script.js';
import { defineCommand } from '../command.js';
import { createMigrator, databaseLabel } from '../context.js';
import { migratorOptions } from '../options.js';

export const rollback = defineCommand({
  name: 'rollback',
  summary: 'apply down scripts, newest first',
  options: {
    ...migratorOptions,
    steps: { kind: 'integer', value: '<n>', min: 1, alternativeTo: 'to' },
    to: { kind: 'text', value: '<tag>' },
    'dry-run': { kind: 'flag' },
    'allow-data-loss': { kind: 'flag' },
  },
  async run(context) {
    const { args, out } = context;
    const steps = args.values.steps;
    const to = args.values.to;
    const dryRun = args.values['dry-run'];
    const allowDataLoss = args.values['allow-data-loss'];
    const migrator = createMigrator(context);
    out.progress(
      `${dryRun ? 'Dry run: rollback on' : 'Rolling back on'} ${databaseLabel(context)}`,
    );
    const results = await migrator.rollback({
      steps,
      to,
      dryRun,
      allowDataLoss,
    });
    const losing = results.filter((r) => r.dataLoss !== undefined);
    if (args.json) {
      out.document({
        dryRun,
        rolledBack: dryRun
          ? []
          : results.map((r) => ({ tag: r.tag, durationMs: Math.round(r.durationMs) })),
        wouldRollBack: dryRun
          ? results.map((r) => ({
              tag: r.tag,
              statements: r.statements,
              dataLoss: r.dataLoss !== undefined,
            }))
          : [],
      });
      return 0;
    }
    if (results.length === 0) {
      out.line('Nothing to roll back: no migration is applied.');
    } else if (dryRun) {
      for (const step of results) {
        const loss = step.dataLoss
          ? `  (data loss${step.dataLoss.notes.length > 0 ? `: ${step.dataLoss.notes.join(' ')}` : ''})`
          : '';
        out.line(`\n-- ${downScriptName(args.migrationsDir, step.tag)}${loss}`);
        out.line(step.statements.join('\n'));
      }
      out.line(
        `\nDry run: ${results.length} migration(s) would be rolled back; nothing was changed.`,
      );
      if (losing.length > 0 && !allowDataLoss) {
        out.line(
          `${losing.map((r) => r.tag).join(', ')} lose${losing.length === 1 ? 's' : ''} data: the real run needs --allow-data-loss.`,
        );
      }
    } else {
      out.line(`Rolled back ${results.length} migration(s).`);
    }
    return 0;
  },
});

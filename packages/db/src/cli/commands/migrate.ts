import { withExtensionHint } from '../../migrations/extension-hint.js';
import { displayPath } from '../../migrations/failure.js';
import {
  appliesContracts,
  applyContractVariable,
  describeHeldBack,
  type HeldBack,
} from '../../migrations/phases.js';
import { defineCommand } from '../command.js';
import { createMigrator, databaseLabel } from '../context.js';
import { migratorOptions } from '../options.js';
import { formatDuration } from '../output.js';
import { reportStrays } from '../stray-warnings.js';

export const migrate = defineCommand({
  name: 'migrate',
  summary: 'apply pending migrations',
  options: {
    ...migratorOptions,
    to: { kind: 'text', value: '<tag>' },
    'dry-run': { kind: 'flag' },
    contract: {
      kind: 'flag',
      help: `also apply contract-phase migrations (default: only on PGlite or with ${applyContractVariable}=1)`,
    },
    'allow-out-of-order': { kind: 'flag' },
    'accept-changed': { kind: 'texts', value: '<tag>' },
  },
  async run(context) {
    const { args, out } = context;
    const migrator = createMigrator(context);
    const dryRun = args.values['dry-run'];
    const holdContracts = !appliesContracts(
      args.values.contract,
      process.env[applyContractVariable],
      context.target,
    );
    const folder = displayPath(migrator.folder.dir);
    const strays = reportStrays(out, migrator.folder);
    out.progress(
      `${dryRun ? 'Dry run against' : 'Migrating'} ${databaseLabel(context)} from ${folder}`,
    );
    let heldBack: HeldBack[] = [];
    const started = performance.now();
    const steps = await migrator
      .migrate({
        to: args.values.to,
        dryRun,
        allowOutOfOrder: args.values['allow-out-of-order'],
        acceptChanged: args.values['accept-changed'],
        phases: { holdContracts, onHeldBack: (held) => (heldBack = held) },
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
        heldBack,
        durationMs: Math.round(total),
        strays,
      });
      return 0;
    }
    if (steps.length === 0 && heldBack.length === 0) {
      out.line('Nothing to migrate: the database is up to date.');
    } else if (steps.length === 0) {
      out.line('Nothing to apply before the held-back contract migration.');
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
    for (const line of describeHeldBack(heldBack)) out.line(line);
    return 0;
  },
});

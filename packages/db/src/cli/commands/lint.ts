import { readMigrationFolder } from '../../drizzle-kit/migration-folder.js';
import { lintFolder } from '../../lint/lint-folder.js';
import { fixFolder } from '../../online/rewrite-folder.js';
import { type CommandContext, defineCommand } from '../command.js';
import { createMigrator, databaseLabel } from '../context.js';
import { fixDocument, reportFix } from '../online-report.js';
import type { OptionSpecs } from '../options.js';
import { reportStrays } from '../stray-warnings.js';

const options = {
  fix: {
    kind: 'flag',
    help: 'rewrite the migrations the database has not applied into their online-safe form',
  },
  'dry-run': { kind: 'flag', help: 'with --fix: print the rewritten files, write nothing' },
} as const satisfies OptionSpecs;

export const lint = defineCommand({
  name: 'lint',
  synopsis: '[--fix [--dry-run]]',
  summary: 'findings per migration; --fix writes the online-safe forms',
  options,
  run,
});

async function run(context: CommandContext<typeof options>): Promise<number> {
  const { args, out } = context;
  const { fix: fixing, 'dry-run': dryRun } = args.values;
  if (dryRun && !fixing)
    throw args.usageError('--dry-run goes with --fix: `jam-db lint --fix --dry-run`.');
  const fix = fixing ? await fixPending(context, dryRun) : null;
  const folder = readMigrationFolder(args.migrationsDir);
  const results = await lintFolder(folder);
  const strays = reportStrays(out, folder);
  const errors = results.flatMap((r) => r.findings).filter((f) => f.severity === 'error').length;
  if (args.json) {
    out.document({
      migrations: results.map((r) => ({
        tag: r.tag,
        classification: r.classification,
        findings: r.findings.map(
          ({ rule, severity, statement, explanation, alternative, location }) => ({
            rule,
            severity,
            statement,
            explanation,
            alternative,
            ...(location === undefined ? {} : { location }),
          }),
        ),
        allowed: r.allowed.map(({ rule, statement, reason }) => ({ rule, statement, reason })),
      })),
      ...(fix ? fixDocument(fix, dryRun) : {}),
      strays,
    });
    return errors > 0 ? 1 : 0;
  }
  if (fix) reportFix(out, fix, databaseLabel(context), { dryRun, partial: fix.partial });
  const width = Math.max(0, ...results.map((r) => r.tag.length));
  for (const result of results) {
    const count = result.findings.length;
    out.line(
      `${result.tag.padEnd(width)}  ${result.classification.padEnd(8)}  ${count === 0 ? 'no findings' : `${count} finding(s)`}`,
    );
    for (const f of result.findings) {
      out.line(
        `  ${f.severity.padEnd(7)} ${f.rule}: ${f.statement}${f.location ? ` (${f.location})` : ''}`,
      );
      out.line(`          ${f.explanation}`);
      out.line(`          safe alternative: ${f.alternative}`);
    }
    for (const a of result.allowed) out.line(`  allowed ${a.rule} (${a.reason}): ${a.statement}`);
  }
  const warnings = results.flatMap((r) => r.findings).length - errors;
  out.line(`\n${results.length} migration(s): ${errors} error(s), ${warnings} warning(s).`);
  return errors > 0 ? 1 : 0;
}

/** Rewrites what the target database has not applied (a migration applied in part counts as applied). */
async function fixPending(context: CommandContext<typeof options>, dryRun: boolean) {
  const history = await createMigrator(context).status();
  const partial = new Set(history.partial.map((p) => p.tag));
  const open = new Set(history.pending.filter((m) => !partial.has(m.tag)).map((m) => m.tag));
  const folder = readMigrationFolder(context.args.migrationsDir);
  const applied = new Set(folder.migrations.map((m) => m.tag).filter((tag) => !open.has(tag)));
  return { ...(await fixFolder(folder, applied, { write: !dryRun })), partial };
}

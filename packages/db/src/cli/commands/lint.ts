import { deriveDowns } from '../../down/generate-downs.js';
import { writeDownScript } from '../../down/write-down.js';
import { readMigrationFolder } from '../../drizzle-kit/migration-folder.js';
import { phasePendingMigrations } from '../../expand-contract/phase-pending.js';
import { lintFolder } from '../../lint/lint-folder.js';
import { fixFolder } from '../../online/rewrite-folder.js';
import { type CommandContext, defineCommand } from '../command.js';
import { createMigrator, databaseLabel } from '../context.js';
import { fixDocument, reportFix } from '../online-report.js';
import { phasingDocument, reportPhasing } from '../phase-report.js';
import { reportStrays } from '../stray-warnings.js';

export const lint = defineCommand({
  name: 'lint',
  summary: 'findings per migration; --fix writes the online-safe and expand/contract forms',
  options: {
    fix: {
      kind: 'flag',
      help: 'rewrite the migrations the database has not applied into their online-safe form (the last one into expand + contract where it renames, changes a type or adds a volatile default)',
    },
    'dry-run': {
      kind: 'flag',
      goesWith: 'fix',
      help: 'with --fix: print the rewritten files, write nothing',
    },
  },
  async run(context) {
    const { args, out } = context;
    const { fix: fixing, 'dry-run': dryRun } = args.values;
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
          phase: r.phase,
          ...(r.contracts === null ? {} : { contracts: r.contracts }),
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
        ...(fix ? { ...fixDocument(fix, dryRun), ...phasingDocument(fix.phasing) } : {}),
        strays,
      });
      return errors > 0 ? 1 : 0;
    }
    if (fix) {
      reportPhasing(out, fix.phasing, dryRun);
      reportFix(out, fix, databaseLabel(context), { dryRun, partial: fix.partial });
    }
    const width = Math.max(0, ...results.map((r) => r.tag.length));
    for (const result of results) {
      const count = result.findings.length;
      out.line(
        `${result.tag.padEnd(width)}  ${result.classification.padEnd(8)}  ${count === 0 ? 'no findings' : `${count} finding(s)`}${phaseNote(result)}`,
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
  },
});

const phaseNote = (result: { phase: string | null; contracts: string | null }): string =>
  result.phase === 'contract'
    ? `  (contract of ${result.contracts})`
    : result.phase === 'expand'
      ? '  (expand)'
      : '';

/** Rewrites what the target database has not applied (a migration applied in part counts as applied). */
async function fixPending(context: CommandContext, dryRun: boolean) {
  const history = await createMigrator(context).status();
  const partial = new Set(history.partial.map((p) => p.tag));
  const open = new Set(history.pending.filter((m) => !partial.has(m.tag)).map((m) => m.tag));
  let folder = readMigrationFolder(context.args.migrationsDir);
  const applied = new Set(folder.migrations.map((m) => m.tag).filter((tag) => !open.has(tag)));
  // Expand / contract first: the online-safe forms then apply to what the expand kept as written.
  const phasing = await phasePendingMigrations(folder, applied, { write: !dryRun });
  if (phasing.phased && !dryRun) {
    folder = readMigrationFolder(context.args.migrationsDir);
    const tags = [phasing.phased.migration.tag, phasing.phased.contractTag];
    const positions = folder.migrations.flatMap((m, i) => (tags.includes(m.tag) ? [i] : []));
    // The expand's old down script undid the plain change: both are derived again.
    const downs = await deriveDowns(folder, new Set(positions), { home: context.target });
    for (const position of positions)
      writeDownScript(folder.dir, folder.migrations[position]!.tag, downs.get(position)!);
  }
  return { ...(await fixFolder(folder, applied, { write: !dryRun })), partial, phasing };
}

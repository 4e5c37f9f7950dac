import { readMigrationFolder } from '../../drizzle-kit/migration-folder.js';
import { resolveRange } from '../../verify/range.js';
import { countVerdicts, type MigrationVerdict } from '../../verify/verdict.js';
import { type VerifyReport, verifyMigrations } from '../../verify/verifier.js';
import { defineCommand } from '../command.js';
import { formatDuration, type Output } from '../output.js';

/** Differences printed per migration; the JSON document has them all. */
const shownDifferences = 12;

export const verify = defineCommand({
  name: 'verify',
  summary: 'up → down → up on a scratch database; exact / manual / wrong per migration',
  options: {
    from: { kind: 'text', value: '<tag>' },
    to: { kind: 'text', value: '<tag>' },
    'allow-manual': { kind: 'flag' },
  },
  async run({ args, out, target }) {
    const folder = readMigrationFolder(args.migrationsDir);
    const from = args.values.from;
    const to = args.values.to;
    const width = Math.max(0, ...folder.migrations.map((m) => m.tag.length));
    // Before any database is opened: a wrong tag is a usage error.
    const { first, last } = resolveRange(folder, { from, to });
    if (last < first) {
      if (args.json) out.document(jsonReport(emptyReport()));
      else out.line(`No migrations in ${folder.dir}: nothing to verify.`);
      return 0;
    }
    const ranged = from !== undefined || to !== undefined;
    const before = first > 0 ? ` (the ${first} before them applied unchecked)` : '';
    out.progress(
      `Verifying ${last - first + 1} migration(s)${before}: up → down → up on a scratch database`,
    );
    const report = await verifyMigrations(folder, target, {
      from,
      to,
      onNotice: (line) => out.progress(line),
      onVerdict: (verdict) => printVerdict(out, verdict, width),
      onRebuild: (tag) =>
        out.progress(`  (the database is not as ${tag} expects: rebuilt a fresh one up to it)`),
    });
    const counts = countVerdicts(report.verdicts);
    const allowManual = args.values['allow-manual'];
    const passed =
      counts.wrong === 0 && report.stopped === null && (counts.manual === 0 || allowManual);
    if (args.json) out.document(jsonReport(report));
    else out.line(summaryLine(report, counts, ranged, allowManual));
    return passed ? 0 : 1;
  },
});

function printVerdict(out: Output, verdict: MigrationVerdict, width: number): void {
  const label = verdict.verdict === 'wrong' ? 'WRONG' : verdict.verdict;
  const head = `  ${label.padEnd(6)} ${verdict.tag.padEnd(width)}  ${formatDuration(verdict.durationMs)}`;
  if (verdict.verdict === 'exact') {
    const sampled =
      verdict.sampledTables > 0 ? `, rows kept in ${verdict.sampledTables} untouched table(s)` : '';
    out.progress(`${head}${sampled}`);
    return;
  }
  out.progress(`${head}  ${verdict.reason}`);
  const indent = ' '.repeat(11);
  if (verdict.error) out.progress(`${indent}${verdict.error}`);
  const differences = verdict.differences ?? [];
  for (const line of differences.slice(0, shownDifferences)) out.progress(`${indent}${line}`);
  if (differences.length > shownDifferences)
    out.progress(`${indent}… and ${differences.length - shownDifferences} more (see --json)`);
}

function summaryLine(
  report: VerifyReport,
  counts: ReturnType<typeof countVerdicts>,
  ranged: boolean,
  allowManual: boolean,
): string {
  const range = ranged && report.from !== null ? ` (${report.from} to ${report.to})` : '';
  let line = `${report.verdicts.length} migration(s) checked${range} on ${report.scratch}: ${counts.exact} exact, ${counts.manual} manual, ${counts.wrong} wrong, in ${formatDuration(report.durationMs)}.`;
  if (report.stopped) {
    line += ` Stopped: ${report.stopped.tag} does not apply on a fresh database migrated up to it, so ${report.stopped.unchecked.length} migration(s) after it were not checked. ${report.stopped.error}`;
  }
  if (counts.manual > 0) {
    line += allowManual
      ? ' Manual down scripts are allowed (--allow-manual).'
      : ' A manual down script means that migration has no rollback yet: write it, or pass --allow-manual to accept that.';
  }
  return line;
}

const emptyReport = (): VerifyReport => ({
  scratch: 'none',
  from: null,
  to: null,
  verdicts: [],
  stopped: null,
  rebuilds: 0,
  durationMs: 0,
});

/** The `verify --json` document; its shape is part of the contract (README). */
function jsonReport(report: VerifyReport) {
  const counts = countVerdicts(report.verdicts);
  return {
    scratch: report.scratch,
    migrations: report.verdicts.map((v) => ({
      tag: v.tag,
      verdict: v.verdict,
      ...(v.reason !== undefined ? { reason: v.reason } : {}),
      ...(v.differences?.length ? { firstDifference: v.differences[0] } : {}),
      ...(v.differences?.length ? { differences: v.differences } : {}),
      ...(v.error !== undefined ? { error: v.error } : {}),
      sampledTables: v.sampledTables,
      durationMs: Math.round(v.durationMs),
    })),
    summary: {
      from: report.from,
      to: report.to,
      checked: report.verdicts.length,
      ...counts,
      stopped: report.stopped,
      rebuilds: report.rebuilds,
      durationMs: Math.round(report.durationMs),
    },
  };
}

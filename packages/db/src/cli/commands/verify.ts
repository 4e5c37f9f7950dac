import { readMigrationFolder } from '../../migrations/journal.js';
import { verifyMigrations } from '../../verify/verifier.js';
import type { CommandContext } from '../context.js';
import { formatDuration } from '../output.js';

export async function verifyCommand(context: CommandContext): Promise<number> {
  const { args, out, target } = context;
  const folder = readMigrationFolder(args.migrationsDir);
  out.progress(
    `Verifying ${folder.migrations.length} migration(s): up → down → up on a scratch database`,
  );
  const width = Math.max(0, ...folder.migrations.map((m) => m.tag.length));
  const report = await verifyMigrations(folder, target, (verdict) => {
    const state = verdict.ok ? 'ok' : 'FAILED';
    const sampled =
      verdict.sampledTables > 0 ? `, rows kept in ${verdict.sampledTables} untouched table(s)` : '';
    out.progress(
      `  ${state.padEnd(6)} ${verdict.tag.padEnd(width)}  ${formatDuration(verdict.durationMs)}${sampled}`,
    );
    for (const problem of verdict.problems) out.progress(problem.replace(/^/gm, '           '));
  });
  const failed = report.verdicts.filter((v) => !v.ok);
  const exact = report.verdicts.length - failed.length;
  if (args.json) {
    out.document({
      scratch: report.scratch,
      migrations: report.verdicts.map((v) => ({
        tag: v.tag,
        ok: v.ok,
        problems: v.problems,
        sampledTables: v.sampledTables,
        durationMs: Math.round(v.durationMs),
      })),
      exact,
      failed: failed.length,
      stoppedAt: report.stoppedAt,
      durationMs: Math.round(report.durationMs),
    });
  } else {
    const stopped = report.stoppedAt
      ? ` Stopped at ${report.stoppedAt}: its up script failed, so the migrations after it were not checked.`
      : '';
    out.line(
      `${report.verdicts.length} migration(s) checked on ${report.scratch}: ${exact} exact round trip(s), ${failed.length} failed, in ${formatDuration(report.durationMs)}.${stopped}`,
    );
  }
  return failed.length > 0 || report.stoppedAt ? 1 : 0;
}

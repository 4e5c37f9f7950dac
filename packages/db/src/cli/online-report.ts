import { displayPath } from '../migrations/failure.js';
import { describeRewrites, type FolderFix } from '../online/rewrite-folder.js';
import type { Output } from './output.js';

/** What `lint --fix` rewrote, left alone and could not rewrite, in the human report. */
export function reportFix(
  out: Output,
  fix: FolderFix,
  database: string,
  options: { dryRun: boolean; partial: ReadonlySet<string> },
): void {
  const { dryRun } = options;
  for (const result of fix.fixed) {
    out.line(`${result.migration.tag}: ${describeRewrites(result)}`);
    if (dryRun) {
      out.line(`--- ${displayPath(result.migration.path)} as --fix would write it (not written):`);
      out.line(result.sql.trimEnd());
      out.line('---');
    }
  }
  for (const result of fix.leftApplied)
    out.line(
      `${result.migration.tag}: ${options.partial.has(result.migration.tag) ? 'applied in part' : 'applied'} in ${database}, so left as it is (its checksum is recorded and migrate would refuse an edited file); --fix would have made ${describeRewrites(result)}`,
    );
  for (const result of fix.notRewritten)
    for (const item of result.notRewritten)
      out.line(
        `${result.migration.tag}: not rewritten: ${item.statement} (${item.rule}): ${item.reason}`,
      );
  if (fix.fixed.length === 0) out.line('--fix: no migration that is not applied needed a rewrite.');
  else
    out.line(
      `--fix: ${dryRun ? 'would rewrite' : 'rewrote'} ${fix.fixed.length} migration(s) into their online-safe form${dryRun ? ' (dry run: nothing written)' : ''}.`,
    );
  out.line();
}

/** The `fixed` part of `lint --fix --json`. */
export function fixDocument(fix: FolderFix, dryRun: boolean) {
  const rewritesOf = (result: FolderFix['fixed'][number]) =>
    result.rewrites.map(({ rule, statement, change, into }) => ({ rule, statement, change, into }));
  return {
    dryRun,
    fixed: fix.fixed.map((result) => ({
      tag: result.migration.tag,
      rewrites: rewritesOf(result),
      ...(dryRun ? { sql: result.sql } : {}),
    })),
    leftApplied: fix.leftApplied.map((result) => ({
      tag: result.migration.tag,
      rewrites: rewritesOf(result),
    })),
    notRewritten: fix.notRewritten.flatMap((result) =>
      result.notRewritten.map(({ rule, statement, reason }) => ({
        tag: result.migration.tag,
        rule,
        statement,
        reason,
      })),
    ),
  };
}

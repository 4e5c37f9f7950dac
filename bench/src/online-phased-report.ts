import type { PhasedResult } from './online-phased.js';
import { goalMs, seconds } from './online-report.js';

/** The heading that starts the expand / contract section of ONLINE-RESULTS.md. */
export const phasedHeading = '## Expand / contract (issue #12)';

const stall = (window: PhasedResult['plain'] | undefined): string =>
  window
    ? `${seconds(window.stats.maxMs)} (p99 ${seconds(window.stats.p99Ms)})${window.failure ? ' **failed**' : ''}`
    : '—';

function row(result: PhasedResult): string {
  const durations = [
    `plain ${seconds(result.plain.ms)}`,
    result.expand ? `expand ${seconds(result.expand.ms)}` : '',
    result.contract ? `contract ${seconds(result.contract.ms)}` : '',
  ].filter(Boolean);
  const check = result.check;
  const both = result.bothVersions;
  const cells = [
    result.phasedCase.label,
    stall(result.plain),
    stall(result.expand),
    result.phasedCase.oneMigration ? '— (no contract)' : stall(result.contract),
    durations.join('; '),
    check
      ? `lost ${check.lost} / doubled ${check.doubled} (of ${check.checked} rows written)`
      : '—',
    both ? `${both.errors} errors in ${both.ops} operations` : '—',
    result.schemaEqual ? 'equal' : '**differs**',
  ];
  return `| ${cells.join(' | ')} |`;
}

/** How many phases stayed within the goal. */
function goal(results: PhasedResult[]): string {
  const phases = results.flatMap((result) =>
    [result.expand, result.contract]
      .filter((window) => window !== undefined)
      .map((window) => ({ label: result.phasedCase.label, window })),
  );
  const over = phases.filter((phase) => phase.window.stats.maxMs > goalMs);
  return (
    `Goal (issue #12): each phase's max write stall within ${seconds(goalMs)}: ` +
    `${phases.length - over.length} of ${phases.length} phase(s) within it` +
    (over.length > 0 ? `; over it: ${over.map((phase) => phase.label).join(', ')}.` : '.')
  );
}

export function phasedTable(results: PhasedResult[]): string {
  return [
    '| change | plain max stall | expand+backfill max stall | contract max stall | durations | lost / doubled | old+new clients errors | schema equal |',
    '|---|---:|---:|---:|---|---|---|---|',
    ...results.map(row),
  ].join('\n');
}

export function phasedSection(
  results: PhasedResult[],
  run: { rows: number; clients: number; tookMs: number; when: string },
): string {
  const notes = results.flatMap((result) =>
    result.notes.length > 0
      ? [`- ${result.phasedCase.label}:`, ...result.notes.map((note) => `  - ${note}`)]
      : [],
  );
  return [
    phasedHeading,
    '',
    `Run ${run.when}; ${run.rows.toLocaleString('en')} rows, ${run.clients} clients, one run per ` +
      `contender; these rows took ${seconds(run.tookMs)}. A hot table of its own ` +
      '(`id bigint` primary key, `a` and `n` integer with default 0, `v` integer, an index on `a`; ' +
      "narrower than issue #11's, so the plain rewrites take less time than in that table). " +
      "*plain*: drizzle-kit's statement in one transaction (drizzle-orm's migrator) while the clients " +
      'write `id` and `v` only. *jam-db*: `jam-db lint --fix` (checked to write the expand with its ' +
      'contract, or the batched backfill), then `jam-db migrate` (expand and backfill; contract held ' +
      'back) while clients of the old code write the old column, then 3 s of old-code and new-code ' +
      'clients together (inserts, updates and reads through their own name), then ' +
      '`jam-db migrate --contract` while clients of the new code write. Each client inserts rows with ' +
      'ids it makes up and updates only rows of its own share, remembering the last value it wrote; ' +
      "*lost / doubled* compares that against the table at the end (every row once, its last value in `v` and under the column's final name; the table's row count). " +
      '*Max stall*: the longest write that overlapped the window (for jam-db, the part of the run ' +
      "it reports); *schema equal*: `pg_dump --schema-only` lines after the contract equal the plain change's, " +
      'column order aside (the expand adds the new column at the end of the table).',
    '',
    phasedTable(results),
    '',
    goal(results),
    '',
    ...(notes.length > 0 ? ['Notes:', '', ...notes, ''] : []),
  ].join('\n');
}

/**
 * ONLINE-RESULTS.md with both tables: issue #11's report when it ran (else the part of the
 * previous file before this section), then this section (else the previous one, kept).
 */
export function mergeResultsFile(
  previous: string | null,
  onlineReport: string | null,
  section: string | null,
): string {
  const at = previous?.indexOf(phasedHeading) ?? -1;
  const previousOnline = previous ? (at >= 0 ? previous.slice(0, at) : previous) : '';
  const previousSection = previous && at >= 0 ? previous.slice(at) : null;
  const online = (onlineReport ?? previousOnline).trimEnd();
  const phased = section ?? previousSection;
  if (!phased) return `${online}\n`;
  return online ? `${online}\n\n${phased.trimEnd()}\n` : `${phased.trimEnd()}\n`;
}

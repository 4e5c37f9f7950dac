import type { OnlineCase } from './online-cases.js';
import type { WindowStats } from './online-load.js';
import { schemaDiff } from './online-schema.js';

export type ContenderName = 'plain' | 'jam-db';

/** One contender's run of one case on its own copy of the template database. */
export interface RunResult {
  contender: ContenderName;
  /** Which of the case's two runs it was in this repeat (1 or 2). */
  position: number;
  /** The change: drizzle's migrate() call, or what `jam-db migrate` reports (start-up left out). */
  changeMs: number;
  /** From the call or the spawn to the end, Node start-up of the child process included. */
  wallMs: number;
  /** Writes that overlapped the change (for the noise floor: every write of the run). */
  during: WindowStats;
  /** Writes of the one second before the change: the run's own noise. */
  before: WindowStats;
  writes: number;
  failedWrites: number;
  /** How often jam-db hit lock_timeout and tried again (0 for plain). */
  retries: number;
  /** Set when the change itself failed: its first line. */
  failure?: string;
  notes: string[];
  schema: string[];
}

export interface CaseResult {
  onlineCase: OnlineCase;
  /** Per repeat, the plain and the jam-db run. */
  runs: { plain: RunResult; jamDb: RunResult }[];
}

export const goalMs = 250;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** Seconds, with a third decimal below 0.1 s so a fast write does not read as 0.00 s. */
export const seconds = (ms: number): string => `${(ms / 1000).toFixed(ms < 100 ? 3 : 2)} s`;

/** The median of one figure over the repeats, marked when any of those runs failed. */
function figure(results: RunResult[], pick: (run: RunResult) => number): string {
  const failed = results.filter((run) => run.failure).length;
  const value = seconds(median(results.map(pick)));
  return failed === 0 ? value : `${value} (failed ${failed}/${results.length})`;
}

function schemaVerdict(result: CaseResult): { cell: string; diff: string[] } {
  for (const { plain, jamDb } of result.runs) {
    if (plain.schema.join('\n') !== jamDb.schema.join('\n')) {
      const diff = schemaDiff(plain.schema, jamDb.schema);
      return { cell: '**differs**', diff: diff.length > 0 ? diff : ['(same lines, other counts)'] };
    }
  }
  return { cell: 'equal', diff: [] };
}

export function resultsTable(results: CaseResult[]): string {
  const lines = [
    '| change | plain max stall | plain p99 | plain duration | jam-db max stall | jam-db p99 | jam-db duration | schema equal |',
    '|---|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const result of results) {
    const plain = result.runs.map((run) => run.plain);
    const jamDb = result.runs.map((run) => run.jamDb);
    // With nothing pending there is no change to time: only the migrate call's overhead.
    const duration = (runs: RunResult[]) =>
      result.onlineCase.pending.length === 0 ? '—' : figure(runs, (run) => run.changeMs);
    const cells = [
      result.onlineCase.label,
      figure(plain, (run) => run.during.maxMs),
      figure(plain, (run) => run.during.p99Ms),
      duration(plain),
      figure(jamDb, (run) => run.during.maxMs),
      figure(jamDb, (run) => run.during.p99Ms),
      duration(jamDb),
      schemaVerdict(result).cell,
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

/** How many changes kept jam-db's median max stall within the goal. */
export function goalLine(results: CaseResult[]): string {
  const changes = results.filter((result) => result.onlineCase.key !== 'noise');
  const over = changes.filter(
    (result) => median(result.runs.map((run) => run.jamDb.during.maxMs)) > goalMs,
  );
  const names = over
    .map((result) => {
      const stall = seconds(median(result.runs.map((run) => run.jamDb.during.maxMs)));
      const why = result.onlineCase.expandContract
        ? ', not rewritten: it needs expand/contract, issue #12'
        : '';
      return `${result.onlineCase.label} (${stall}${why})`;
    })
    .join(', ');
  const failed = changes.filter((result) => result.runs.some((run) => run.jamDb.failure));
  return (
    `Goal (issue #11): jam-db's max write stall within ${seconds(goalMs)}. ` +
    `${changes.length - over.length} of ${changes.length} change(s) within it` +
    (over.length > 0 ? `; over it: ${names}.` : '.') +
    (failed.length > 0
      ? ` \`jam-db migrate\` failed in: ${failed.map((result) => result.onlineCase.label).join(', ')} (see the notes).`
      : '')
  );
}

export function caseNotes(results: CaseResult[]): string {
  const lines: string[] = [];
  for (const result of results) {
    const notes = new Set<string>();
    for (const { plain, jamDb } of result.runs) {
      for (const run of [plain, jamDb]) {
        for (const note of run.notes) notes.add(`${run.contender}: ${note}`);
        if (run.failure) notes.add(`${run.contender} failed: ${run.failure}`);
        if (run.failedWrites > 0)
          notes.add(`${run.contender}: ${run.failedWrites} write(s) failed`);
      }
    }
    const retries = result.runs.map((run) => run.jamDb.retries);
    if (retries.some((count) => count > 0)) {
      notes.add(
        `jam-db: \`jam-db migrate\` hit lock_timeout and tried again ${retries.join(', ')} time(s) (per run)`,
      );
    }
    const { diff } = schemaVerdict(result);
    if (diff.length > 0)
      notes.add(`schema diff (- plain, + jam-db): ${diff.map((line) => `\`${line}\``).join('; ')}`);
    if (notes.size === 0) continue;
    lines.push(`- ${result.onlineCase.label}:`);
    for (const note of notes) lines.push(`  - ${note}`);
  }
  return lines.join('\n');
}

export function everyRunTable(results: CaseResult[]): string {
  const lines = [
    '| change | repeat | contender | ran | max stall | p99 | duration | wall time | writes overlapping | writes in all | max stall in the second before |',
    '|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const result of results) {
    result.runs.forEach(({ plain, jamDb }, repeat) => {
      for (const run of [plain, jamDb].sort((a, b) => a.position - b.position)) {
        lines.push(
          `| ${result.onlineCase.key} | ${repeat + 1} | ${run.contender} | ${run.position === 1 ? 'first' : 'second'} | ` +
            `${seconds(run.during.maxMs)} | ${seconds(run.during.p99Ms)} | ${seconds(run.changeMs)}${run.failure ? ' (failed)' : ''} | ${seconds(run.wallMs)} | ` +
            `${run.during.count} | ${run.writes} | ${seconds(run.before.maxMs)} |`,
        );
      }
    });
  }
  return lines.join('\n');
}

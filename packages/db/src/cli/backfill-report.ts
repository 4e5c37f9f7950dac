import { groupDigits } from '../migrations/backfill-progress.js';
import type { ProgressEvent } from '../migrations/migrator.js';
import type { TerminalStream } from '../seed/progress-bar.js';
import { formatDuration } from './output.js';

type BackfillEvent = Extract<ProgressEvent, { kind: 'backfill' }>;

/** `backfill "hot": 120 000 / ~1 000 000 rows (12%), 24 000 rows/s, ETA 37 s` */
export function renderBackfillLine(event: BackfillEvent): string {
  const { record, run } = event;
  const total = record.estimatedTotal;
  const share =
    total && total > 0 ? ` (${Math.min(100, Math.floor((record.rows / total) * 100))}%)` : '';
  const seconds = run.elapsedMs / 1000;
  const rate = seconds > 0 ? run.rows / seconds : 0;
  const remaining = total === null ? null : Math.max(0, total - record.rows);
  const eta =
    remaining !== null && rate > 0 ? `, ETA ${formatDuration((remaining / rate) * 1000)}` : '';
  const of = total === null ? '' : ` / ~${groupDigits(total)}`;
  const speed = rate > 0 ? `, ${groupDigits(rate)} rows/s` : '';
  return `backfill ${record.table}: ${groupDigits(record.rows)}${of} rows${share}${speed}${eta}`;
}

/** `backfilled 1 000 000 rows of "hot" in 200 batches, 41.00 s` (what this run did, and what an earlier one had). */
export function renderBackfillSummary(event: BackfillEvent): string {
  const { record, run } = event;
  const earlier =
    run.resumedRows > 0
      ? ` (continuing after ${groupDigits(run.resumedRows)} rows of an earlier run)`
      : '';
  return `backfilled ${groupDigits(run.rows)} rows of ${record.table} in ${run.batches} batch${run.batches === 1 ? '' : 'es'}, ${formatDuration(run.elapsedMs)}${earlier}`;
}

/**
 * Backfill progress for a person: on a terminal one line redrawn in place (at
 * most every `intervalMs`) whose last state is kept as the summary; elsewhere
 * (a pipe, a log, --json) only the summary, through `summary`.
 */
export class BackfillReporter {
  private lastDrawAt = Number.NEGATIVE_INFINITY;

  constructor(
    /** The terminal, or null when there is none to draw on. */
    private readonly terminal: TerminalStream | null,
    private readonly summary: (line: string) => void,
    private readonly intervalMs = 100,
    private readonly now: () => number = Date.now,
  ) {}

  report(event: BackfillEvent): void {
    if (event.phase === 'done') {
      const line = `  ${renderBackfillSummary(event)}`;
      if (this.terminal) this.terminal.write(`\r${line}\x1b[K\n`);
      else this.summary(line);
      return;
    }
    if (!this.terminal) return;
    const now = this.now();
    if (event.phase === 'batch' && now - this.lastDrawAt < this.intervalMs) return;
    this.lastDrawAt = now;
    this.terminal.write(`\r  ${renderBackfillLine(event)}\x1b[K`);
  }
}

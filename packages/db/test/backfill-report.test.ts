import { describe, expect, it } from 'vitest';
import {
  BackfillReporter,
  renderBackfillLine,
  renderBackfillSummary,
} from '../src/cli/backfill-report.js';
import type { ProgressEvent } from '../src/migrations/migrator.js';

type BackfillEvent = Extract<ProgressEvent, { kind: 'backfill' }>;

const eventOf = (
  phase: BackfillEvent['phase'],
  rows: number,
  elapsedMs: number,
  resumedRows = 0,
  estimatedTotal: number | null = 1_000_000,
): BackfillEvent => ({
  kind: 'backfill',
  tag: '0001_fill',
  phase,
  record: {
    segment: 0,
    table: '"hot"',
    lastKey: String(rows),
    rows,
    batches: rows / 5000,
    estimatedTotal,
  },
  run: { rows: rows - resumedRows, batches: (rows - resumedRows) / 5000, elapsedMs, resumedRows },
});

describe('backfill progress for a person', () => {
  it('shows rows done, rows/s and the ETA from the estimated total', () => {
    expect(renderBackfillLine(eventOf('batch', 120_000, 5000))).toBe(
      'backfill "hot": 120 000 / ~1 000 000 rows (12%), 24 000 rows/s, ETA 36.67 s',
    );
    expect(renderBackfillLine(eventOf('batch', 10_000, 1000, 0, null))).toBe(
      'backfill "hot": 10 000 rows, 10 000 rows/s',
    );
    expect(renderBackfillLine(eventOf('start', 0, 0))).toBe(
      'backfill "hot": 0 / ~1 000 000 rows (0%)',
    );
  });

  it('sums up what this run did, and what an earlier run had done', () => {
    expect(renderBackfillSummary(eventOf('done', 1_000_000, 41_000))).toBe(
      'backfilled 1 000 000 rows of "hot" in 200 batches, 41.00 s',
    );
    expect(renderBackfillSummary(eventOf('done', 1_000_000, 1000, 995_000))).toBe(
      'backfilled 5 000 rows of "hot" in 1 batch, 1.00 s (continuing after 995 000 rows of an earlier run)',
    );
  });

  it('redraws one line in place on a terminal and keeps the last as the summary', () => {
    const written: string[] = [];
    const summaries: string[] = [];
    let now = 0;
    const reporter = new BackfillReporter(
      { isTTY: true, write: (text) => written.push(text) },
      (line) => summaries.push(line),
      100,
      () => now,
    );
    reporter.report(eventOf('start', 0, 0));
    now = 50;
    reporter.report(eventOf('batch', 5000, 50));
    now = 150;
    reporter.report(eventOf('batch', 10_000, 150));
    reporter.report(eventOf('done', 10_000, 150));
    expect(written).toEqual([
      '\r  backfill "hot": 0 / ~1 000 000 rows (0%)\x1b[K',
      '\r  backfill "hot": 10 000 / ~1 000 000 rows (1%), 66 667 rows/s, ETA 14.85 s\x1b[K',
      '\r  backfilled 10 000 rows of "hot" in 2 batches, 150 ms\x1b[K\n',
    ]);
    expect(summaries).toEqual([]);
  });

  it('prints only the summary line when there is no terminal', () => {
    const summaries: string[] = [];
    const reporter = new BackfillReporter(null, (line) => summaries.push(line));
    reporter.report(eventOf('start', 0, 0));
    reporter.report(eventOf('batch', 5000, 10));
    reporter.report(eventOf('done', 5000, 10));
    expect(summaries).toEqual(['  backfilled 5 000 rows of "hot" in 1 batch, 10 ms']);
  });
});

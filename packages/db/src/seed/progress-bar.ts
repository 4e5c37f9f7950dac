import type { SeedProgress } from './seed.js';

/** The part of a terminal stream the bar needs; tests hand it a recorder. */
export interface TerminalStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

/**
 * One line redrawn in place on a terminal. It redraws at most every
 * `intervalMs` so a fast seed is not slowed by its own progress output, and
 * clears itself at the end so the summary starts on a clean line.
 */
export class ProgressBar {
  private lastDrawAt = Number.NEGATIVE_INFINITY;
  private drawn = false;
  private readonly startedAt: number;

  constructor(
    private readonly stream: TerminalStream,
    private readonly intervalMs = 100,
    private readonly now: () => number = Date.now,
  ) {
    this.startedAt = now();
  }

  /** Only a terminal gets a bar: a pipe or file would fill with carriage returns. */
  static forStream(stream: TerminalStream): ProgressBar | null {
    return stream.isTTY ? new ProgressBar(stream) : null;
  }

  update(progress: SeedProgress): void {
    const now = this.now();
    const finished = progress.unitsDone === progress.units && progress.step === progress.tables;
    if (!finished && now - this.lastDrawAt < this.intervalMs) return;
    this.lastDrawAt = now;
    this.stream.write(`\r${renderProgress(progress, this.stream.columns ?? 80)}\x1b[K`);
    this.drawn = true;
  }

  finish(): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }

  get elapsedMs(): number {
    return this.now() - this.startedAt;
  }
}

export function renderProgress(progress: SeedProgress, columns: number): string {
  const fraction = progress.units === 0 ? 1 : progress.unitsDone / progress.units;
  const label = `seed ${progress.step}/${progress.tables} ${progress.table.padEnd(11)}`;
  const tail = ` ${String(Math.floor(fraction * 100)).padStart(3)}% ${progress.rowsWritten.toLocaleString('en-US')} rows`;
  const width = Math.max(10, Math.min(40, columns - label.length - tail.length - 4));
  const filled = Math.round(fraction * width);
  return `${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}]${tail}`;
}

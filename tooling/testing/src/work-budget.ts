/**
 * Timeouts that follow from the work a test does, priced at what that work
 * cost on this machine at the start of the run (measured by the global setup),
 * not a fixed guess: on a loaded laptop the measured prices rise and every
 * timeout with them.
 */
export interface Work {
  /** Runs of the `jam-db` CLI in a child process against PGlite (node start, bundle, WASM, folder). */
  cliRuns?: number;
  /** PGlite databases opened in the test process. */
  pgliteOpens?: number;
  /** Plain waiting the test does on purpose (sleeps, lock waits, server timeouts), in seconds. */
  waitSeconds?: number;
}

/** What one unit of work cost when the run started, in milliseconds. */
export interface WorkPrices {
  cliRunMs: number;
  pgliteOpenMs: number;
}

// Used when a test file runs outside the global setup (e.g. a one-off `vitest run file`).
const fallbackPrices: WorkPrices = { cliRunMs: 2_500, pgliteOpenMs: 1_500 };

/**
 * Headroom over the measured price: two test files run at once, the CLI runs of
 * one test often run concurrently, and load can grow after the measurement.
 */
const headroom = 6;
const floorMs = 15_000;

export function readWorkPrices(): WorkPrices {
  const cliRunMs = Number(process.env.JAM_TEST_PRICE_CLI_MS);
  const pgliteOpenMs = Number(process.env.JAM_TEST_PRICE_PGLITE_MS);
  return {
    cliRunMs: cliRunMs > 0 ? cliRunMs : fallbackPrices.cliRunMs,
    pgliteOpenMs: pgliteOpenMs > 0 ? pgliteOpenMs : fallbackPrices.pgliteOpenMs,
  };
}

/** The timeout, in milliseconds, for a test or hook that does `work`. */
export function workBudget(work: Work, prices: WorkPrices = readWorkPrices()): number {
  const busyMs =
    (work.cliRuns ?? 0) * prices.cliRunMs + (work.pgliteOpens ?? 0) * prices.pgliteOpenMs;
  return Math.round(floorMs + busyMs * headroom + (work.waitSeconds ?? 0) * 1000 * 2);
}

/**
 * Counts the expensive operations a test file performs (CLI runs, PGlite
 * opens, databases created on the server), so the per-file CPU log (`JAM_TEST_CPU_LOG`, see cpu-log.ts) can say
 * where the time goes. Shared through globalThis: the test file and the setup
 * file may load this module as separate instances.
 */
export type WorkKind = 'cliRuns' | 'pgliteOpens' | 'serverDatabases';

const countsKey = Symbol.for('jam.testing.work-count');
const shared = globalThis as Record<symbol, Record<WorkKind, number> | undefined>;

export function workCounts(): Record<WorkKind, number> {
  shared[countsKey] ??= { cliRuns: 0, pgliteOpens: 0, serverDatabases: 0 };
  return shared[countsKey];
}

export function countWork(kind: WorkKind, amount = 1): void {
  workCounts()[kind] += amount;
}

import { randomBytes } from 'node:crypto';

/**
 * The pid of the test run (the vitest main process) that owns what a test
 * creates. Test processes and the CLIs they start inherit it, so a later run
 * can tell an abandoned database from one that a live run still uses.
 */
export function testRunPid(): number {
  return Number(process.env.JAM_TEST_RUN_PID) || process.pid;
}

const scratchName = /^jam_[a-z0-9_]+?_r(\d+)_[0-9a-f]+$/;

/**
 * A database name for one test: `jam_<purpose>_r<run pid>_<random>`. Tests name
 * every database they create this way; `sweepServerDatabases` drops those of
 * runs that no longer exist.
 */
export function scratchDatabaseName(purpose: string): string {
  if (!/^[a-z][a-z0-9_]*$/.test(purpose)) throw new Error(`bad database purpose "${purpose}"`);
  return `jam_${purpose}_r${testRunPid()}_${randomBytes(5).toString('hex')}`;
}

/** The run pid a scratch database name carries, or undefined for any other name. */
export function runPidOfDatabase(name: string): number | undefined {
  const match = scratchName.exec(name);
  return match ? Number(match[1]) : undefined;
}

import { type ChildProcess, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { workBudget } from '@jam/testing/work-budget';
import { binPath } from './cli.js';

/**
 * What tests that kill a migration run share: the jam-db CLI in a child
 * process the test can kill, a wait for a condition the test polls (the step
 * showing up in pg_stat_activity or in `drizzle.__jam_progress`, never a
 * sleep), and a kill that resolves once the child is gone.
 */
export function startCli(args: string[], env: Record<string, string>): ChildProcess {
  const { DATABASE_URL, JAM_DB_DIRECT_URL, JAM_DB_DRIVER, NEON_WS_PROXY, ...rest } = process.env;
  return spawn(process.execPath, [binPath, ...args], {
    env: { ...rest, ...env },
    stdio: 'ignore',
  });
}

/** A CLI child whose output the test reads while it runs. */
export interface WatchedCli {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

export function startWatchedCli(args: string[], env: Record<string, string>): WatchedCli {
  const { DATABASE_URL, JAM_DB_DIRECT_URL, JAM_DB_DRIVER, NEON_WS_PROXY, ...rest } = process.env;
  const child = spawn(process.execPath, [binPath, ...args], {
    env: { ...rest, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { child, output: () => output, exited };
}

export async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + workBudget({ cliRuns: 2 });
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting until ${what}`);
    await sleep(50);
  }
}

export const killed = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.on('exit', () => resolve());
    child.kill('SIGKILL');
  });

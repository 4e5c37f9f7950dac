import { mkdirSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { processAlive } from './process-alive.js';

/**
 * Every file a test run writes goes under `<tmp>/jam-test-runs/<pid>/`: the
 * run points TMPDIR there, so test processes and the CLIs they start create
 * their folders inside. The run removes it at the end, and the next run
 * removes the folders of runs that were killed before they could.
 */
export function openRunFolder(pid: number, systemTmp = tmpdir()): string {
  const runsRoot = join(systemTmp, 'jam-test-runs');
  mkdirSync(runsRoot, { recursive: true });
  for (const entry of readdirSync(runsRoot)) {
    const owner = Number(entry);
    if (owner !== pid && !processAlive(owner)) {
      rmSync(join(runsRoot, entry), { recursive: true, force: true });
    }
  }
  const folder = join(runsRoot, String(pid));
  mkdirSync(folder, { recursive: true });
  return folder;
}

/** Removes the run's folder, and the shared parent too when no other run is using it. */
export function removeRunFolder(folder: string): void {
  rmSync(folder, { recursive: true, force: true });
  try {
    rmdirSync(dirname(folder));
  } catch {
    // Another run's folder is still there (or the parent is already gone).
  }
}

import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { JamDbError } from '../errors.js';

/**
 * PGlite has no server to arbitrate between processes: two processes opening one
 * data folder corrupt it. A lock file beside the folder (`<folder>.lock`) makes
 * the second process wait, then say who holds the folder.
 */
interface LockOwner {
  pid: number;
  host: string;
  purpose: string;
  since: string;
}

export interface FolderLock {
  release(): void;
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const readOwner = (path: string): LockOwner | null => {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockOwner;
  } catch {
    return null;
  }
};

function tryCreate(path: string, owner: LockOwner): boolean {
  try {
    writeFileSync(path, JSON.stringify(owner), { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** A lock left by a process that died (SIGKILL, power loss) is taken over. */
function removeIfStale(path: string): void {
  const owner = readOwner(path);
  const stale = owner === null || (owner.host === hostname() && !isAlive(owner.pid));
  if (!stale) return;
  try {
    unlinkSync(path);
  } catch {
    // Another waiter removed it first; the next create attempt decides.
  }
}

export async function lockFolder(
  folder: string,
  purpose: string,
  timeoutMs: number,
): Promise<FolderLock> {
  const path = `${folder}.lock`;
  mkdirSync(dirname(path), { recursive: true });
  const owner: LockOwner = {
    pid: process.pid,
    host: hostname(),
    purpose,
    since: new Date().toISOString(),
  };
  const deadline = Date.now() + timeoutMs;
  while (!tryCreate(path, owner)) {
    removeIfStale(path);
    const holder = readOwner(path);
    // A jam-db command finishes soon and is worth waiting for; a server such as
    // `pnpm dev` holds the folder until stopped, so say so at once.
    const worthWaiting = holder === null || holder.purpose.startsWith('jam-db');
    if (Date.now() >= deadline || !worthWaiting) {
      const who = holder
        ? `process ${holder.pid} (${holder.purpose}, since ${holder.since})`
        : 'another process';
      throw new JamDbError(
        'pglite-in-use',
        `The PGlite folder ${folder} is in use by ${who}${worthWaiting ? `; waited ${Math.round(timeoutMs / 1000)}s for it` : ''}.`,
        'Only one process may open a PGlite folder at a time (two would corrupt it). Stop that process, e.g. `pnpm dev`, and run the command again.',
      );
    }
    await sleep(100);
  }
  const releaseOnExit = () => release();
  function release() {
    process.off('exit', releaseOnExit);
    if (readOwner(path)?.pid !== process.pid) return;
    try {
      unlinkSync(path);
    } catch {
      // Already gone: nothing to release.
    }
  }
  process.on('exit', releaseOnExit);
  return { release };
}

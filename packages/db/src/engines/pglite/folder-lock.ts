import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { JamDbError } from '../../errors.js';

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

/**
 * Creates the lock file with its content in one step: the owner is written to a
 * private file first and then hard-linked into place, which fails if the lock
 * exists. A waiter therefore never sees a half-written lock and mistakes it for
 * a dead one.
 */
function tryCreate(path: string, owner: LockOwner): boolean {
  const draft = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(draft, JSON.stringify(owner));
  try {
    linkSync(draft, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(draft);
  }
}

/**
 * A lock left by a process that died (SIGKILL, power loss) is taken over. The
 * inode check keeps two waiters from both judging the same dead lock and the
 * second one deleting the fresh lock the first just took.
 */
function removeIfStale(path: string): void {
  let inode: number;
  try {
    inode = statSync(path).ino;
  } catch {
    return;
  }
  const owner = readOwner(path);
  const stale = owner === null || (owner.host === hostname() && !isAlive(owner.pid));
  if (!stale) return;
  try {
    if (statSync(path).ino === inode) unlinkSync(path);
  } catch {
    // Gone already: the next create attempt decides.
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

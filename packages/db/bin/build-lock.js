// An exclusive lock around rebuilding dist/, so that eight jam-db commands
// started together with stale sources build once: one builds, the others wait
// for it and then use its result. The lock is a file created with O_EXCL
// holding the builder's pid; a lock whose process died is taken over.
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const pollMs = 100;
// A lock file with no pid yet is being written right now; one that stays empty
// this long belongs to a process that died between creating and writing it.
const emptyLockGraceMs = 10_000;

/** Creates the lock file if nobody holds it; true when it is ours. */
function tryCreate(path) {
  let fd;
  try {
    fd = openSync(path, 'wx');
  } catch (error) {
    if (error.code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, `${process.pid}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** The pid in a lock file; null while it is empty; undefined when there is no file. */
function holderOf(path) {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch (error) {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is just not ours to signal.
    return error.code === 'EPERM';
  }
}

function ageMs(path) {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

const removeQuietly = (path) => {
  try {
    unlinkSync(path);
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
  }
};

/**
 * Removes a lock its holder left behind when it died. Two waiters may find the
 * same dead lock; a second, short-lived guard file makes only one of them
 * remove it, so neither removes the fresh lock the other just created.
 */
function takeOverIfDead(path) {
  const holder = holderOf(path);
  const dead =
    holder === null ? ageMs(path) > emptyLockGraceMs : holder !== undefined && !isAlive(holder);
  if (!dead) return;
  const guard = `${path}.takeover`;
  if (!tryCreate(guard)) {
    // A guard is held for microseconds; an old one was left by a waiter that died holding it.
    if (ageMs(guard) > emptyLockGraceMs) removeQuietly(guard);
    return;
  }
  try {
    if (holderOf(path) === holder) removeQuietly(path);
  } finally {
    removeQuietly(guard);
  }
}

/**
 * Runs `work` while holding the lock at `path`. `onWait(pid)` is called once
 * when another process holds it. Gives up after `maxWaitMs` with an error
 * naming the holder.
 */
export async function withBuildLock(path, { maxWaitMs, onWait }, work) {
  const started = Date.now();
  let announced = false;
  while (!tryCreate(path)) {
    takeOverIfDead(path);
    const holder = holderOf(path);
    if (!announced && holder) {
      announced = true;
      onWait(holder);
    }
    if (Date.now() - started > maxWaitMs) {
      throw new Error(
        `process ${holder ?? '?'} has held ${path} for over ${Math.round(maxWaitMs / 1000)} s`,
      );
    }
    await sleep(pollMs);
  }
  try {
    return await work();
  } finally {
    removeQuietly(path);
  }
}

#!/usr/bin/env node
// The jam-db command. Inside the monorepo it rebuilds dist/ first when the
// sources are newer, so `pnpm db:migrate` works straight after a fresh clone or an edit.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withBuildLock } from './build-lock.js';

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
const cli = join(packageDir, 'dist', 'cli', 'cli.js');
const sources = join(packageDir, 'src');
const tsup = join(packageDir, 'node_modules', '.bin', 'tsup');
// Beside src/, git-ignored; a published package has no src/ and never builds.
const buildLock = join(packageDir, '.build.lock');
// A build takes seconds, or a minute or two on a loaded machine; waiting longer means it hangs.
const buildWaitMs = 10 * 60_000;

const newestMtime = (dir) =>
  readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    const path = join(dir, entry.name);
    return Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }, 0);

const isStale = () =>
  existsSync(sources) &&
  existsSync(tsup) &&
  (!existsSync(cli) || newestMtime(sources) > statSync(cli).mtimeMs);

const fail = (message) => {
  process.stderr.write(`jam-db: ${message}\n`);
  process.exit(1);
};

if (isStale()) {
  let built;
  try {
    built = await withBuildLock(
      buildLock,
      {
        maxWaitMs: buildWaitMs,
        onWait: (pid) =>
          process.stderr.write(`jam-db: waiting for process ${pid}, which rebuilds @jam/db…\n`),
      },
      () => {
        // Whoever held the lock before us may have built it already.
        if (!isStale()) return true;
        process.stderr.write('jam-db: building @jam/db (sources changed)…\n');
        const build = spawnSync(tsup, ['--silent'], { cwd: packageDir, stdio: ['ignore', 2, 2] });
        return build.status === 0;
      },
    );
  } catch (error) {
    fail(
      `could not rebuild @jam/db: ${error.message}. If no jam-db command is running, delete ${buildLock} and run the command again.`,
    );
  }
  if (!built) fail('building @jam/db failed; fix the errors above and run the command again.');
}
await import(cli);

#!/usr/bin/env node
// The jam-db command. Inside the monorepo it rebuilds dist/ first when the
// sources are newer, so `pnpm db:migrate` works straight after a fresh clone or an edit.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
const cli = join(packageDir, 'dist', 'cli', 'cli.js');
const sources = join(packageDir, 'src');

const newestMtime = (dir) =>
  readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    const path = join(dir, entry.name);
    return Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }, 0);

const tsup = join(packageDir, 'node_modules', '.bin', 'tsup');
const stale =
  existsSync(sources) &&
  existsSync(tsup) &&
  (!existsSync(cli) || newestMtime(sources) > statSync(cli).mtimeMs);
if (stale) {
  process.stderr.write('jam-db: building @jam/db (sources changed)…\n');
  const build = spawnSync(tsup, ['--silent'], { cwd: packageDir, stdio: ['ignore', 2, 2] });
  if (build.status !== 0) {
    process.stderr.write(
      'jam-db: building @jam/db failed; fix the errors above and run the command again.\n',
    );
    process.exit(1);
  }
}
await import(cli);

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { packageMigrations } from './support/cli.js';

const run = promisify(execFile);
const monorepo = fileURLToPath(new URL('../../../', import.meta.url));
const dbScripts = Object.keys(
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).scripts,
).filter((name) => name.startsWith('db:'));

interface DryRunTask {
  taskId: string;
  command: string;
  resolvedTaskDefinition: { interactive: boolean };
}

/** The tasks `turbo run <task>` would run from the repository root, with a command to run. */
async function plannedTasks(task: string): Promise<DryRunTask[]> {
  const { stdout } = await run('pnpm', ['exec', 'turbo', 'run', task, '--dry=json'], {
    cwd: monorepo,
    maxBuffer: 64 * 1024 * 1024,
  });
  const plan = JSON.parse(stdout) as { tasks: DryRunTask[] };
  return plan.tasks.filter((t) => t.command !== '<NONEXISTENT>');
}

describe('turbo run db:*', () => {
  it.each(dbScripts)(
    '%s runs once, in @jam/db, after building @jam/db only, without a terminal',
    async (task) => {
      const planned = await plannedTasks(task);
      expect(planned.map((t) => t.taskId).sort()).toEqual(['@jam/db#build', `@jam/db#${task}`]);
      expect(planned.filter((t) => t.resolvedTaskDefinition.interactive)).toEqual([]);
    },
    120_000,
  );

  it('applies the migrations once', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'jam-turbo-migrate-'));
    try {
      const { stdout } = await run('pnpm', ['exec', 'turbo', 'run', 'db:migrate'], {
        cwd: monorepo,
        env: { ...process.env, DATABASE_URL: `pglite:${join(folder, 'data')}` },
        maxBuffer: 64 * 1024 * 1024,
      });
      const journal = JSON.parse(
        readFileSync(join(packageMigrations, 'meta', '_journal.json'), 'utf8'),
      );
      expect(stdout.match(/^.*\bran\s+\d{4}_\S+/gm)).toHaveLength(journal.entries.length);
      expect(stdout.match(/Applied \d+ migration\(s\)/g)).toEqual([
        `Applied ${journal.entries.length} migration(s)`,
      ]);
      expect(stdout).not.toMatch(/@jam\/(web|api):/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
    // A build of @jam/db (when turbo's cache misses) and a migrate on PGlite, on a busy machine.
  }, 600_000);
});

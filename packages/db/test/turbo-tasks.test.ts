import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { workBudget } from '@jam/testing/work-budget';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const monorepo = fileURLToPath(new URL('../../../', import.meta.url));
const turbo = join(monorepo, 'node_modules', '.bin', 'turbo');
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
  // turbo itself, not through `pnpm exec`: that would start node and pnpm for each task too.
  const { stdout } = await run(turbo, ['run', task, '--dry=json'], {
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
    workBudget({ cliRuns: 2 }), // turbo starts and hashes the workspace
  );
});

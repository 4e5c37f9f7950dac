import { spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { workBudget } from '@jam/testing/work-budget';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('../', import.meta.url));

/**
 * A copy of @jam/db with its built dist/, sharing node_modules by a link, so
 * the test can make the build stale and rebuild without touching the real one.
 */
function copyPackage(): string {
  const copy = mkdtempSync(join(tmpdir(), 'jam-db-build-lock-'));
  for (const entry of ['src', 'bin', 'dist', 'package.json', 'tsconfig.json']) {
    cpSync(join(packageDir, entry), join(copy, entry), { recursive: true });
  }
  symlinkSync(join(packageDir, 'node_modules'), join(copy, 'node_modules'), 'dir');
  // The package's build without type declarations: they are most of its CPU time
  // (a TypeScript compile) and nothing this test is about.
  writeFileSync(
    join(copy, 'tsup.config.ts'),
    `import builds from ${JSON.stringify(join(packageDir, 'tsup.config.ts'))};
export default builds.map((options) => ({ ...options, dts: false }));
`,
  );
  return copy;
}

const run = (bin: string, args: string[]) =>
  new Promise<{ code: number; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stderr }));
  });

describe('jam-db with sources newer than dist/', () => {
  let copy: string;
  beforeEach(() => {
    copy = copyPackage();
  });
  afterEach(() => {
    rmSync(copy, { recursive: true, force: true });
  });

  it(
    'builds once for eight commands started together, taking over a lock left by a dead process',
    async () => {
      // The build is older than the sources: as after an edit.
      const anHourAgo = new Date(Date.now() - 3_600_000);
      utimesSync(join(copy, 'dist', 'cli', 'cli.js'), anHourAgo, anHourAgo);
      // A lock left by a process that died while building.
      const dead = spawnSync(process.execPath, ['-e', '']).pid;
      const lock = join(copy, '.build.lock');
      writeFileSync(lock, `${dead}\n`);

      const bin = join(copy, 'bin', 'jam-db.js');
      const results = await Promise.all(Array.from({ length: 8 }, () => run(bin, ['--help'])));

      for (const result of results) expect(result).toMatchObject({ code: 0 });
      const building = results.flatMap((r) => r.stderr.match(/building @jam\/db/g) ?? []);
      expect(building).toHaveLength(1);
      expect(existsSync(lock)).toBe(false);

      const again = await run(bin, ['--help']);
      expect(again).toEqual({ code: 0, stderr: '' });
      // One tsup build (JavaScript only, about two CLI runs' worth) while seven wait.
    },
    workBudget({ cliRuns: 12 }),
  );
});

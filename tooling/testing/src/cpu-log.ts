import { appendFileSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { afterAll, expect } from 'vitest';
import { workCounts } from './work-count.js';

/**
 * With JAM_TEST_CPU_LOG=<file>, every test file appends one line to <file>:
 * its path, wall seconds and the CPU seconds of its worker process plus the
 * child processes it waited for (CLI runs, servers), and how many CLI runs,
 * PGlite opens and server databases it counted. The suite is CPU-bound, so
 * this, not wall time on a shared machine, says which files cost the most.
 */
const logFile = process.env.JAM_TEST_CPU_LOG;

/** user+system CPU seconds of this process and of its waited-for children, from /proc. */
function cpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime, stime, cutime, cstime are fields 14–17 of stat(5); here they start at index 11.
  const ticks = fields.slice(11, 15).reduce((sum, value) => sum + Number(value), 0);
  return ticks / 100;
}

if (logFile) {
  // Taken when the setup file loads, before the test file is imported: imports cost too.
  const startCpu = cpuSeconds();
  const startWall = performance.now();
  Object.assign(workCounts(), { cliRuns: 0, pgliteOpens: 0, serverDatabases: 0 });
  afterAll(() => {
    const cpu = cpuSeconds() - startCpu;
    const wall = (performance.now() - startWall) / 1000;
    const file = relative(process.cwd(), expect.getState().testPath ?? 'unknown');
    const { cliRuns, pgliteOpens, serverDatabases } = workCounts();
    appendFileSync(
      logFile,
      `${cpu.toFixed(1)}\t${wall.toFixed(1)}\tcli=${cliRuns}\tpglite=${pgliteOpens}\tserverdb=${serverDatabases}\t${file}\n`,
    );
  });
}

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openRunFolder, removeRunFolder } from './run-folder.js';
import { sweepServerDatabases } from './server-databases.js';

/**
 * Vitest global setup shared by every project of the workspace. Before any
 * test file runs it gives the run its own temporary folder (and cleans up
 * after runs that were killed), builds the PGlite templates every test copies
 * instead of running initdb itself, and prices the work tests do so that
 * their timeouts follow from it. When vitest runs several projects in one
 * process this runs once and is undone after the last project.
 */
interface RunState {
  projects: number;
  ready?: Promise<() => Promise<void>>;
}
const stateKey = Symbol.for('jam.testing.run');
const shared = globalThis as Record<symbol, RunState | undefined>;
shared[stateKey] ??= { projects: 0 };
const state = shared[stateKey];

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const jamDbBin = join(repoRoot, 'packages/db/bin/jam-db.js');
const jamDbDist = join(repoRoot, 'packages/db/dist/cli/cli.js');
/** Test schema modules must live inside @jam/db to resolve its dependencies, so they get a run folder there too. */
const packageWorkRoot = join(repoRoot, 'packages/db/.test-work');

export default async function setup(): Promise<() => Promise<void>> {
  state.projects += 1;
  state.ready ??= prepareRun();
  const finish = await state.ready;
  return async () => {
    state.projects -= 1;
    if (state.projects === 0) await finish();
  };
}

async function prepareRun(): Promise<() => Promise<void>> {
  const pid = process.pid;
  process.env.JAM_TEST_RUN_PID = String(pid);
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) await sweepServerDatabases(serverUrl).catch(warnSweep);

  const runFolder = openRunFolder(pid);
  const workFolder = openRunFolder(pid, packageWorkRoot);
  process.env.TMPDIR = runFolder;
  process.env.JAM_TEST_WORK_DIR = workFolder;
  preparePglite(runFolder);

  return async () => {
    removeRunFolder(runFolder);
    removeRunFolder(workFolder);
    if (serverUrl) await sweepServerDatabases(serverUrl, pid).catch(warnSweep);
  };
}

/**
 * Runs the built CLI three times: `status` on a new folder (initdb: the empty
 * template), `status` on a copy of it (the price of one CLI run on PGlite) and
 * `migrate` on another copy (the migrated template).
 */
function preparePglite(runFolder: string): void {
  if (!existsSync(jamDbDist)) return; // not built: tests fall back to their own templates
  const empty = join(runFolder, 'template-pglite-empty');
  runJamDb(['status'], empty);

  const probe = join(runFolder, 'template-probe');
  cpSync(empty, probe, { recursive: true });
  const started = performance.now();
  runJamDb(['status'], probe);
  const cliRunMs = performance.now() - started;
  rmSync(probe, { recursive: true, force: true });

  const migrated = join(runFolder, 'template-pglite-migrated');
  cpSync(empty, migrated, { recursive: true });
  runJamDb(['migrate'], migrated);

  process.env.JAM_TEST_PGLITE_EMPTY = empty;
  process.env.JAM_TEST_PGLITE_MIGRATED = migrated;
  process.env.JAM_TEST_PRICE_CLI_MS = String(Math.round(cliRunMs));
  // Opening PGlite in the test process skips node's start and the CLI bundle: about half a CLI run.
  process.env.JAM_TEST_PRICE_PGLITE_MS = String(Math.round(cliRunMs / 2));
  console.log(
    `[jam tests] one jam-db run on PGlite takes ${(cliRunMs / 1000).toFixed(1)} s on this machine now; test timeouts are priced from it.`,
  );
}

function runJamDb(args: string[], dataDir: string): void {
  const run = spawnSync(process.execPath, [jamDbBin, ...args], {
    env: { ...process.env, DATABASE_URL: `pglite:${dataDir}` },
    encoding: 'utf8',
  });
  // status exits 3 while migrations are pending.
  if (run.status !== 0 && run.status !== 3) {
    throw new Error(`test setup: jam-db ${args.join(' ')} failed:\n${run.stderr}`);
  }
}

function warnSweep(error: unknown): void {
  console.warn(`[jam tests] could not clean up old test databases: ${String(error)}`);
}

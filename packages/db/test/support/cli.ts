import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { countWork } from '@jam/testing/work-count';
import { closeHeldPglites } from './pglite-handles.js';

export const binPath = fileURLToPath(new URL('../../bin/jam-db.js', import.meta.url));
export const packageMigrations = fileURLToPath(new URL('../../migrations', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built jam-db command in a child process, as a user would (closing the PGlite folders the test holds). */
export async function runCli(
  args: string[],
  env: Record<string, string | undefined> = {},
  options: { cwd?: string } = {},
): Promise<CliResult> {
  countWork('cliRuns');
  await closeHeldPglites();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binPath, ...args], {
      cwd: options.cwd,
      env: { ...cleanEnv(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** The parent's environment minus anything that would choose a database for the child. */
function cleanEnv(): Record<string, string | undefined> {
  const { DATABASE_URL, JAM_DB_DIRECT_URL, JAM_DB_DRIVER, NEON_WS_PROXY, INIT_CWD, ...rest } =
    process.env;
  return rest;
}

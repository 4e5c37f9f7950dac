import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { workBudget } from '@jam/testing/work-budget';

/** The built server, started the way `pnpm --filter @jam/api start` does. */
export const serverEntry = fileURLToPath(new URL('../../dist/server.js', import.meta.url));

export interface ApiProcess {
  url: string;
  pid: number;
  /** Everything it printed so far, stdout and stderr interleaved. */
  output(): string;
  /** SIGTERM, then its exit code. */
  stop(): Promise<number | null>;
}

export interface ExitedProcess {
  code: number | null;
  output: string;
}

/** The environment minus anything that would choose a database for the child. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const { DATABASE_URL, JAM_DB_DRIVER, NEON_WS_PROXY, INIT_CWD, ...rest } = process.env;
  return { ...rest, PORT: '0', ...env };
}

function collect(child: ChildProcess): () => string {
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  return () => output;
}

const exitOf = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });

/**
 * Starts the API on a free port and resolves once it listens; rejects with its
 * output if it exits first or does not listen within `timeoutMs`.
 */
export function startApi(
  env: Record<string, string>,
  // Starting the server costs about what a CLI run does: node, the bundle, the database.
  timeoutMs = workBudget({ cliRuns: 1 }),
): Promise<ApiProcess> {
  const child = spawn(process.execPath, [serverEntry], {
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = collect(child);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`@jam/api did not start within ${timeoutMs} ms:\n${output()}`));
    }, timeoutMs);
    const onData = () => {
      const match = /listening on (http:\/\/localhost:\d+)/.exec(output());
      if (!match) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      resolve({
        url: match[1]!,
        pid: child.pid!,
        output,
        stop: async () => {
          child.kill('SIGTERM');
          return exitOf(child);
        },
      });
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`@jam/api exited with ${code} before listening:\n${output()}`));
    });
  });
}

/** Runs the server expecting it to refuse to start; resolves with its exit code and output. */
export async function runApiToExit(env: Record<string, string>): Promise<ExitedProcess> {
  const child = spawn(process.execPath, [serverEntry], {
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = collect(child);
  const code = await exitOf(child);
  await new Promise((resolve) => setImmediate(resolve));
  return { code, output: output() };
}

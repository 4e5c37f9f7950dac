import { spawn } from 'node:child_process';

export interface TimedRun {
  /** Wall time from spawn to exit, process start-up included: what a user waits for. */
  ms: number;
  stdout: string;
  stderr: string;
}

export class CommandFailed extends Error {
  constructor(
    readonly commandLine: string,
    readonly exit: string,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(`${commandLine} exited with ${exit}`);
  }

  /** Everything the command printed, so a failure report can be acted on without re-running. */
  details(): string {
    return [
      `command: ${this.commandLine}`,
      `exit: ${this.exit}`,
      `stderr:\n${this.stderr.trimEnd() || '(empty)'}`,
      `stdout:\n${this.stdout.trimEnd() || '(empty)'}`,
    ].join('\n');
  }
}

/** Database URLs appear in command lines; their passwords must not reach a report. */
export const withoutPasswords = (text: string): string =>
  text.replace(/(\w+:\/\/[^:/@\s]+):[^@\s]+@/g, '$1:***@');

/** A hung contender must not hang the benchmark. */
const timeoutMs = 5 * 60_000;

/** How a command ended; never a rejection for a failed exit. */
export interface CommandRun extends TimedRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  pid: number | undefined;
}

/** Spawns a command, collects what it prints, and resolves however it exits. */
export function spawnCommand(
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; cwd?: string | undefined; timeoutMs?: number | undefined },
): Promise<CommandRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, {
      env: options.env,
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? timeoutMs,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({ code, signal, pid: child.pid, ms: performance.now() - started, stdout, stderr }),
    );
  });
}

/** Resolves with the time a command took; rejects when it exits other than 0. */
export async function timedCommand(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd?: string,
): Promise<TimedRun> {
  const commandLine = withoutPasswords([command, ...args].join(' '));
  const { code, signal, ms, stdout, stderr } = await spawnCommand(command, args, { env, cwd });
  if (code !== 0) throw new CommandFailed(commandLine, signal ?? `code ${code}`, stdout, stderr);
  return { ms, stdout, stderr };
}

// One step of the release: a command whose failure stops the release with
// one paragraph that names the step.
import { spawnSync } from 'node:child_process';

export class ReleaseStepFailed extends Error {
  constructor(step, exitCode) {
    super(`release: "${step}" failed; nothing was published.`);
    this.exitCode = exitCode ?? 1;
  }
}

/** Runs `command args` in `cwd`, its output going to ours; throws ReleaseStepFailed on failure. */
export function runStep(command, args, { cwd, quiet = false } = {}) {
  const step = `${command} ${args.join(' ')}`;
  if (!quiet) process.stdout.write(`\n$ ${step}\n`);
  const result = spawnSync(command, args, {
    cwd,
    // Our stdout stays ours to report on; the tools' chatter goes to stderr when quiet.
    stdio: ['ignore', quiet ? 2 : 'inherit', 'inherit'],
    shell: process.platform === 'win32',
  });
  if (result.error || result.status !== 0) throw new ReleaseStepFailed(step, result.status);
}

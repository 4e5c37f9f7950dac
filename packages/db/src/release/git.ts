import { execFileSync } from 'node:child_process';

/** A git command in `cwd`; its stdout, or null when git says no (unknown ref, not a repository). */
export function git(cwd: string, ...args: string[]): string | null {
  try {
    return execFileSync('git', args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return null;
  }
}

export const lines = (text: string | null): string[] =>
  text ? text.split('\n').filter(Boolean) : [];

import { readFileSync } from 'node:fs';

export type Bump = 'patch' | 'minor' | 'major';
export const bumpRank: Record<Bump, number> = { patch: 1, minor: 2, major: 3 };

/** The bump a changeset file gives a package, read from its front matter ("@jam/db": minor). */
export function bumpIn(path: string, packageName: string): Bump | null {
  const text = readFileSync(path, 'utf8');
  const front = /^---\s*\n([\s\S]*?)\n---/.exec(text)?.[1] ?? '';
  for (const line of front.split('\n')) {
    const match = /^\s*["']?([^"':]+)["']?\s*:\s*(patch|minor|major)\s*$/.exec(line);
    if (match?.[1]?.trim() === packageName) return match[2] as Bump;
  }
  return null;
}

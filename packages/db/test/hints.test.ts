import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { commandNames } from '../src/cli/main.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const workspaces = ['.', 'packages/db', 'apps/api', 'apps/web'];

const dbScripts = (workspace: string): string[] =>
  Object.keys(
    JSON.parse(readFileSync(join(repoRoot, workspace, 'package.json'), 'utf8')).scripts ?? {},
  )
    .filter((name) => name.startsWith('db:'))
    .sort();

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Every `pnpm db:<command>` a message or the README tells a user to type. */
function advertisedCommands(text: string): string[] {
  return [...text.matchAll(/pnpm (?:-s )?(db:[a-z-]+)/g)].map((m) => m[1]!);
}

describe('every `pnpm db:<command>` the CLI and the README suggest works as typed', () => {
  it('every workspace has the same db: scripts, one per jam-db command', () => {
    const root = dbScripts('.');
    for (const workspace of workspaces) expect(dbScripts(workspace), workspace).toEqual(root);
    // release-check is `pnpm release:check`, a root script of its own.
    const commands = [...commandNames].filter((c) => c !== 'release-check');
    expect(root).toEqual(commands.map((c) => `db:${c}`).sort());
  });

  it('the messages and the README name only scripts that exist', () => {
    const scripts = new Set(dbScripts('.'));
    const texts = [
      ...sourceFiles(join(repoRoot, 'packages/db/src')).map((path) => ({
        path,
        text: readFileSync(path, 'utf8'),
      })),
      { path: 'README.md', text: readFileSync(join(repoRoot, 'README.md'), 'utf8') },
    ];
    const missing = texts.flatMap(({ path, text }) =>
      advertisedCommands(text)
        .filter((name) => !scripts.has(name))
        .map((name) => `${path}: ${name}`),
    );
    expect(missing).toEqual([]);
  });

  it('no hint tells a user to type `jam-db <command>`, which is not on their PATH', () => {
    // src/report, src/generate and src/release are reviewed by their own owners.
    const folders = ['cli', 'migrations', 'baseline', 'guard', 'engines', 'seed', 'drift', 'lint'];
    const offenders = folders
      .flatMap((folder) => sourceFiles(join(repoRoot, 'packages/db/src', folder)))
      .flatMap((path) =>
        readFileSync(path, 'utf8')
          .split('\n')
          .filter((line) => /`jam-db [a-z]/.test(line) && !/^\s*(\/\/|\*|\/\*\*)/.test(line))
          .map((line) => `${path}: ${line.trim()}`),
      );
    expect(offenders).toEqual([]);
    expect(readFileSync(join(repoRoot, 'README.md'), 'utf8')).not.toMatch(/`jam-db report/);
  });
});

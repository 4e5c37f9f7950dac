// A throwaway copy of the working tree, so a dry run can let `changeset
// version` delete changesets and rewrite package.json and CHANGELOG files
// without touching the real ones.
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Tracked and untracked files that git does not ignore: the tree as `git status` sees it. */
function workingTreeFiles(root) {
  return execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
  })
    .split('\0')
    .filter(Boolean);
}

/**
 * Copies the working tree (uncommitted edits and new changesets included) plus
 * the git-ignored `extraFolders` (built output that a pack needs) into a
 * temporary folder. The node_modules of the root and of `linkedPackages` are
 * linked, not copied, so the copy resolves the same tools and workspace
 * packages (pnpm pack needs them to replace `workspace:` versions). Returns the copy's path;
 * remove it with removeScratchCopy.
 */
export function makeScratchCopy(root, { extraFolders = [], linkedPackages = [] } = {}) {
  const copy = mkdtempSync(join(tmpdir(), 'jam-release-dry-run-'));
  try {
    fillScratchCopy(root, copy, extraFolders, linkedPackages);
  } catch (error) {
    removeScratchCopy(copy);
    throw error;
  }
  return copy;
}

function fillScratchCopy(root, copy, extraFolders, linkedPackages) {
  for (const file of workingTreeFiles(root)) {
    const from = join(root, file);
    // A tracked file deleted in the working tree is deleted in the copy too.
    if (!existsSync(from) && !isSymlink(from)) continue;
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(from, join(copy, file), { verbatimSymlinks: true });
  }
  for (const folder of extraFolders) {
    if (existsSync(join(root, folder))) {
      cpSync(join(root, folder), join(copy, folder), { recursive: true });
    }
  }
  for (const folder of ['.', ...linkedPackages]) {
    const modules = join(root, folder, 'node_modules');
    const link = join(copy, folder, 'node_modules');
    // A node_modules symlink that git does not ignore was copied already.
    if (existsSync(modules) && !existsSync(link)) symlinkSync(modules, link, 'dir');
  }
}

export function removeScratchCopy(copy) {
  rmSync(copy, { recursive: true, force: true });
}

function isSymlink(path) {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

// The release without a registry: what `changeset version` would do, and the
// tarball `changeset publish` would upload, while the working tree stays
// exactly as it was (the version bump is made by the real release, with NPM_TOKEN).
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeScratchCopy, removeScratchCopy } from './scratch-copy.mjs';
import { runStep } from './steps.mjs';

export const packageDir = 'packages/db';
const releaseFolder = '.release';

const versionIn = (dir) =>
  JSON.parse(readFileSync(join(dir, packageDir, 'package.json'), 'utf8')).version;

/** The @jam/db section that `changeset version` put on top of the CHANGELOG. */
function newestChangelogEntry(dir) {
  const path = join(dir, packageDir, 'CHANGELOG.md');
  if (!existsSync(path)) return '';
  const sections = readFileSync(path, 'utf8').split(/^(?=## )/m);
  return (sections[1] ?? '').trim();
}

/**
 * Runs `changeset version` on a scratch copy of `root` and packs @jam/db from
 * there into `<root>/.release/`. Returns the versions and the tarball's path.
 */
export function releaseDryRun(root, { quiet = false } = {}) {
  const copy = makeScratchCopy(root, {
    extraFolders: [join(packageDir, 'dist')],
    linkedPackages: [packageDir],
  });
  try {
    const from = versionIn(copy);
    runStep(join(root, 'node_modules', '.bin', 'changeset'), ['version'], { cwd: copy, quiet });
    const to = versionIn(copy);
    const destination = join(root, releaseFolder);
    mkdirSync(destination, { recursive: true });
    runStep('pnpm', ['pack', '--pack-destination', destination], {
      cwd: join(copy, packageDir),
      quiet,
    });
    // pnpm names the tarball after the scoped name: @jam/db 1.2.0 → jam-db-1.2.0.tgz.
    const tarball = join(destination, `jam-db-${to}.tgz`);
    return { from, to, tarball, changelog: newestChangelogEntry(copy) };
  } finally {
    removeScratchCopy(copy);
  }
}

#!/usr/bin/env node
// `pnpm release`: build, check that the changesets cover the schema changes,
// turn them into versions and CHANGELOG entries, then publish. With NPM_TOKEN
// that happens for real (`changeset version`, then `changeset publish`; commit
// the bump afterwards). Without it (there is no registry here) it is a dry run
// that changes nothing in the working tree: `changeset version` runs on a
// scratch copy, and @jam/db is packed from that copy into .release/.
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { releaseDryRun } from './dry-run.mjs';
import { ReleaseStepFailed, runStep } from './steps.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

try {
  runStep('pnpm', ['turbo', 'run', 'build'], { cwd: root });
  runStep('pnpm', ['release:check'], { cwd: root });
  if (process.env.NPM_TOKEN) {
    runStep('pnpm', ['changeset', 'version'], { cwd: root });
    runStep('pnpm', ['changeset', 'publish'], { cwd: root });
  } else {
    const result = releaseDryRun(root);
    process.stdout.write(
      [
        '',
        `release: dry run (no NPM_TOKEN): @jam/db ${result.from} → ${result.to}, packed into ${relative(root, result.tarball)}.`,
        'The working tree is unchanged; with NPM_TOKEN set, `pnpm release` bumps the versions, writes the CHANGELOGs and publishes.',
        ...(result.changelog ? ['', 'CHANGELOG entry it would write:', '', result.changelog] : []),
        '',
      ].join('\n'),
    );
  }
} catch (error) {
  if (!(error instanceof ReleaseStepFailed)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(error.exitCode);
}

#!/usr/bin/env node
// `pnpm release`: build, check that the changesets cover the schema changes,
// turn them into versions and CHANGELOG entries, then publish. Without
// NPM_TOKEN the publish step is a dry run that packs @jam/db into .release/
// (there is no registry here); with it, `changeset publish` publishes for real.
import { spawnSync } from 'node:child_process';

const run = (command, args) => {
  process.stdout.write(`\n$ ${command} ${args.join(' ')}\n`);
  const result = spawnSync(command, args, {
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (result.status !== 0) {
    process.stderr.write(
      `release: "${command} ${args.join(' ')}" failed; nothing was published.\n`,
    );
    process.exit(result.status ?? 1);
  }
};

run('pnpm', ['turbo', 'run', 'build']);
run('pnpm', ['release:check']);
run('pnpm', ['changeset', 'version']);
if (process.env.NPM_TOKEN) {
  run('pnpm', ['changeset', 'publish']);
} else {
  run('pnpm', ['--filter', '@jam/db', 'pack', '--pack-destination', '../../.release']);
  process.stdout.write(
    '\nrelease: dry run (no NPM_TOKEN): @jam/db packed into .release/; commit the version bump and CHANGELOG.\n',
  );
}

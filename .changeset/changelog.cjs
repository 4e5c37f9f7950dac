// CHANGELOG lines for `pnpm changeset version`. Like the default generator,
// plus, once per release of @jam/db, the migrations the release carries with
// their classification and phase from `jam-db lint`, so a reader sees which
// versions change the database, whether they break running code, and which
// contract migrations wait for every app instance to run the new code.
const { execFileSync } = require('node:child_process');
const { existsSync, readFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

let migrationsListed = false;

/** Tags in the journal that no earlier CHANGELOG entry names, with their lint classification and phase. */
function releasedMigrations(root) {
  const packageDir = join(root, 'packages', 'db');
  const journal = join(packageDir, 'migrations', 'meta', '_journal.json');
  if (!existsSync(journal)) return [];
  const changelogPath = join(packageDir, 'CHANGELOG.md');
  const changelog = existsSync(changelogPath) ? readFileSync(changelogPath, 'utf8') : '';
  const tags = JSON.parse(readFileSync(journal, 'utf8')).entries.map((e) => e.tag);
  const fresh = tags.filter((tag) => !changelog.includes(`\`${tag}\``));
  if (fresh.length === 0) return [];
  const bin = join(
    dirname(require.resolve('@jam/db/package.json', { paths: [root] })),
    'bin',
    'jam-db.js',
  );
  let report;
  try {
    report = execFileSync(
      process.execPath,
      [bin, 'lint', '--json', '--migrations', join(packageDir, 'migrations')],
      {
        encoding: 'utf8',
      },
    );
  } catch (failed) {
    // lint exits 1 when a migration has errors; its report is still on stdout.
    report = failed.stdout;
  }
  const linted = new Map(JSON.parse(report).migrations.map((m) => [m.tag, m]));
  return fresh.map((tag) => ({
    tag,
    classification: linted.get(tag)?.classification ?? 'unknown',
    phase: phaseOf(linted.get(tag)),
  }));
}

/** "expand", "contract of <tag>", or null for a migration without a phase line. */
function phaseOf(lint) {
  if (lint?.phase === 'contract') return `contract of ${lint.contracts}`;
  return lint?.phase ?? null;
}

async function getReleaseLine(changeset) {
  const [first, ...rest] = changeset.summary.trim().split('\n');
  let line = `- ${first}${rest.length > 0 ? `\n${rest.map((l) => `  ${l}`).join('\n')}` : ''}`;
  const forJamDb = changeset.releases.some((r) => r.name === '@jam/db');
  if (forJamDb && !migrationsListed) {
    migrationsListed = true;
    const migrations = releasedMigrations(process.cwd());
    if (migrations.length > 0) {
      const list = migrations
        .map((m) => `  - \`${m.tag}\` (${m.classification}${m.phase ? `, phase: ${m.phase}` : ''})`)
        .join('\n');
      line = `- Migrations in this release:\n${list}\n${line}`;
    }
  }
  return line;
}

async function getDependencyReleaseLine(_changesets, dependencies) {
  if (dependencies.length === 0) return '';
  return `- Updated dependencies: ${dependencies.map((d) => `${d.name}@${d.newVersion}`).join(', ')}`;
}

module.exports = { default: { getReleaseLine, getDependencyReleaseLine }, releasedMigrations };

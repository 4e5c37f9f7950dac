import { rmSync, writeFileSync } from 'node:fs';
import { workBudget } from '@jam/testing/work-budget';
import { afterAll, describe, expect, it } from 'vitest';
import { readMigrationFolder } from '../src/drizzle-kit/migration-folder.js';
import { lintFolder } from '../src/lint/lint-folder.js';
import { rewriteFolder } from '../src/online/rewrite-folder.js';
import { parseStatements } from '../src/sql/parse.js';
import { corporaPresent, corpusNames, corpusPrefix } from './support/corpora.js';

/**
 * The rewriter on real drizzle-kit histories, as if none of their migrations
 * were applied: every rewritten file still parses, lint finds nothing in it
 * that the rewriter fixes, and rewriting it again changes nothing.
 */
const fixedRules = new Set([
  'create-index-without-concurrently',
  'drop-index-without-concurrently',
  'add-foreign-key-without-not-valid',
  'add-check-without-not-valid',
  'set-not-null',
  'add-unique-constraint',
]);

const tallies: string[] = [];

if (!corporaPresent)
  console.warn('online rewrites of real histories: skipped, ../shared/corpora is absent');

describe.skipIf(!corporaPresent)('online-safe forms of real histories', () => {
  it.each(corpusNames)(
    '%s: rewritten files parse, lint clean of what was fixed, and stay as they are on a second rewrite',
    async (corpus) => {
      const dir = corpusPrefix(corpus);
      try {
        const first = await rewriteFolder(readMigrationFolder(dir));
        const rewritten = first.filter((r) => r.rewrites.length > 0);
        for (const result of rewritten) {
          for (const chunk of readMigrationFolder(dir).migrations.find(
            (m) => m.tag === result.migration.tag,
          )!.statements)
            expect(await parseStatements(chunk), chunk).not.toBeNull();
          writeFileSync(result.migration.path, result.sql);
        }
        const folder = readMigrationFolder(dir);
        for (const migration of folder.migrations.filter((m) =>
          rewritten.some((r) => r.migration.tag === m.tag),
        ))
          for (const chunk of migration.statements)
            expect(await parseStatements(chunk), `${migration.tag}: ${chunk}`).not.toBeNull();
        const fixedTags = new Set(rewritten.map((r) => r.migration.tag));
        const notRewritten = new Set(
          first.flatMap((r) => r.notRewritten.map((n) => `${r.migration.tag} ${n.statement}`)),
        );
        const left = (await lintFolder(folder)).flatMap((lint) =>
          lint.findings
            .filter((f) => fixedTags.has(lint.tag) && fixedRules.has(f.rule))
            .filter((f) => !notRewritten.has(`${lint.tag} ${f.statement}`))
            .map((f) => `${lint.tag} ${f.rule}: ${f.statement}`),
        );
        expect(left).toEqual([]);
        const second = await rewriteFolder(folder);
        expect(second.filter((r) => r.rewrites.length > 0).map((r) => r.migration.tag)).toEqual([]);
        tallies.push(
          `  ${corpus.padEnd(16)} ${String(rewritten.length).padStart(3)} migration(s), ${String(first.reduce((n, r) => n + r.rewrites.length, 0)).padStart(4)} statement(s) rewritten, ${String(first.reduce((n, r) => n + r.notRewritten.length, 0)).padStart(3)} kept with a reason`,
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    workBudget({}),
  );

  afterAll(() => {
    console.log(`online rewrites of real histories\n${tallies.join('\n')}`);
  });
});

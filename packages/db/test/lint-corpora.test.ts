import { readFileSync } from 'node:fs';
import { workBudget } from '@jam/testing/work-budget';
import { afterAll, describe, expect, it } from 'vitest';
import { readMigrationFolder } from '../src/drizzle-kit/migration-folder.js';
import { lintFolder } from '../src/lint/lint-folder.js';
import { corporaPresent, corpusDir, corpusNames } from './support/corpora.js';

/**
 * Lint's precision on real drizzle-kit histories. Every finding lint makes on
 * them was judged by hand, as a demanding reviewer would (would it lock or
 * break a busy production table, or running code?), and the verdict is kept in
 * test/lint-labels/<corpus>.json, keyed by migration tag, rule and statement
 * position; no SQL of the corpora is copied here. A new finding fails the test
 * until someone judges it; a true positive that disappears fails it too. False
 * positives that lint no longer makes stay in the file as a record.
 */
interface Label {
  tag: string;
  rule: string;
  statement: number | null;
  label: 'tp' | 'fp';
  why: string;
}

const minimumPrecision = 0.95;

const labelsOf = (corpus: string): Label[] =>
  JSON.parse(readFileSync(new URL(`./lint-labels/${corpus}.json`, import.meta.url), 'utf8')).labels;

const keyOf = (tag: string, rule: string, statement: number | null) =>
  `${tag} ${rule} #${statement ?? '-'}`;

interface Tally {
  corpus: string;
  findings: number;
  truePositives: number;
  falsePositives: number;
  falsePositivesFixed: number;
}

const tallies: Tally[] = [];
const precisionOf = (tp: number, fp: number) => (tp + fp === 0 ? 1 : tp / (tp + fp));

if (!corporaPresent)
  console.warn('lint precision on real histories: skipped, ../shared/corpora is absent');

describe.skipIf(!corporaPresent)('lint on real histories, against labelled findings', () => {
  it.each(corpusNames)(
    '%s: every finding is labelled and every true positive still found',
    async (corpus) => {
      const labels = new Map(labelsOf(corpus).map((l) => [keyOf(l.tag, l.rule, l.statement), l]));
      const results = await lintFolder(readMigrationFolder(corpusDir(corpus)));
      const problems: string[] = [];
      const found = new Set<string>();
      const tally: Tally = {
        corpus,
        findings: 0,
        truePositives: 0,
        falsePositives: 0,
        falsePositivesFixed: 0,
      };
      for (const result of results) {
        for (const finding of result.findings) {
          const key = keyOf(result.tag, finding.rule, finding.index ?? null);
          found.add(key);
          tally.findings++;
          const label = labels.get(key);
          if (!label)
            problems.push(
              `unlabelled: ${key} (${finding.statement}); judge it and label it in test/lint-labels/${corpus}.json`,
            );
          else if (label.label === 'tp') tally.truePositives++;
          else tally.falsePositives++;
        }
      }
      for (const [key, label] of labels) {
        if (found.has(key)) continue;
        if (label.label === 'tp')
          problems.push(`true positive no longer found: ${key} (${label.why})`);
        else tally.falsePositivesFixed++;
      }
      tallies.push(tally);
      expect(problems).toEqual([]);
    },
    workBudget({}),
  );

  it(`keeps precision at ${minimumPrecision * 100}% or more over all histories`, () => {
    const tp = tallies.reduce((sum, t) => sum + t.truePositives, 0);
    const fp = tallies.reduce((sum, t) => sum + t.falsePositives, 0);
    expect(tallies).toHaveLength(corpusNames.length);
    expect(precisionOf(tp, fp)).toBeGreaterThanOrEqual(minimumPrecision);
  });

  afterAll(() => {
    const lines = tallies.map(
      (t) =>
        `  ${t.corpus.padEnd(16)} ${String(t.findings).padStart(4)} findings  ${String(t.truePositives).padStart(4)} TP  ${String(t.falsePositives).padStart(3)} FP  precision ${precisionOf(t.truePositives, t.falsePositives).toFixed(3)}  (${t.falsePositivesFixed} labelled FP no longer made)`,
    );
    const tp = tallies.reduce((sum, t) => sum + t.truePositives, 0);
    const fp = tallies.reduce((sum, t) => sum + t.falsePositives, 0);
    console.log(
      `lint precision on real histories\n${lines.join('\n')}\n  all: ${tp + fp} findings, precision ${precisionOf(tp, fp).toFixed(3)}`,
    );
  });
});

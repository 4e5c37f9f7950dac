/**
 * Times `jam-db migrate` against its floors (psql, a bare PGlite exec) and
 * against `drizzle-kit migrate` on a synthetic history, and writes RESULTS.md.
 * A measurement, not a test: it never fails on a missed target, only on a broken run.
 *
 *   pnpm --filter @jam/bench bench [--iterations 5] [--postgres-url <admin url>] [--keep]
 *
 * --postgres-url (or BENCH_POSTGRES_URL) names a database of a server where the
 * user may CREATE DATABASE; the scratch databases are created beside it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Contenders, StaleBuild } from './contenders.js';
import {
  fingerprintDiff,
  freshPgliteDir,
  pgliteFingerprint,
  postgresFingerprint,
  removeDir,
  ScratchDatabases,
} from './databases.js';
import { type Contender, resultsDocument, resultsTable, Samples, type Scenario } from './report.js';
import { type SyntheticHistory, writeHistory } from './synthetic-history.js';
import { CommandFailed, type TimedRun } from './timed-command.js';

const resultsPath = new URL('../RESULTS.md', import.meta.url);

const usage =
  'usage: pnpm --filter @jam/bench bench [--iterations <n>] [--postgres-url <admin url>] [--keep]';

function readOptions() {
  try {
    const { values } = parseArgs({
      // `pnpm … bench -- --iterations 3` may hand the script a literal `--`.
      args: process.argv.slice(2).filter((arg) => arg !== '--'),
      options: {
        iterations: { type: 'string', default: '5' },
        'postgres-url': {
          type: 'string',
          default: process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
        },
        keep: { type: 'boolean', default: false },
      },
    });
    const iterations = Number(values.iterations);
    if (!Number.isInteger(iterations) || iterations < 1) {
      throw new Error(`--iterations takes a whole number ≥ 1, not "${values.iterations}".`);
    }
    return { iterations, postgresUrl: values['postgres-url'], keep: values.keep };
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    process.exit(2);
  }
}

const options = readOptions();

type Step = [Scenario['id'], Contender, () => Promise<TimedRun>];

/** Runs the steps one after another, starting at a different one each iteration, so no contender always goes first. */
async function rotated(iteration: number, steps: Step[], samples: Samples): Promise<void> {
  for (let i = 0; i < steps.length; i++) {
    const [scenario, contender, run] = steps[(i + iteration) % steps.length]!;
    samples.add(scenario, contender, (await run()).ms);
  }
}

interface FreshTargets {
  jam: string;
  psql: string;
  drizzle: string;
  jamDir: string;
  floorDir: string;
}

class MigrateBench {
  constructor(
    private readonly history: SyntheticHistory,
    private readonly contenders: Contenders,
    private readonly databases: ScratchDatabases,
    private readonly workDir: string,
  ) {}

  /**
   * One untimed run per contender that also warms the OS file cache, and proof
   * that all contenders build the same schema and read each other's bookkeeping.
   */
  async verify(): Promise<string[]> {
    const { history, contenders: run } = this;
    await run.ensureJamDbBuilt();
    return this.withFreshTargets(async ({ jam, psql, drizzle, jamDir, floorDir }) => {
      await run.jamDb(jam, history.migrations);
      await run.psql(psql);
      await run.drizzleKit(drizzle);
      await run.jamDb(`pglite:${jamDir}`, history.migrations);
      await run.pgliteFloor(floorDir);
      const reference = await postgresFingerprint(psql);
      const report = [
        `psql floor: ${reference.length} schema facts (columns with type, nullability and default; indexes; constraints; enums)`,
      ];
      const compare = (label: string, fingerprint: string[]) => {
        const diff = fingerprintDiff(reference, fingerprint);
        if (diff.length > 0) {
          throw new Error(`${label} built a schema that differs from psql's:\n${diff.join('\n')}`);
        }
        report.push(`${label}: identical to psql floor`);
      };
      compare('jam-db on PostgreSQL', await postgresFingerprint(jam));
      compare('drizzle-kit on PostgreSQL', await postgresFingerprint(drizzle));
      compare('jam-db on PGlite', await pgliteFingerprint(jamDir));
      compare('PGlite floor', await pgliteFingerprint(floorDir));
      // Both tools record in drizzle.__drizzle_migrations, so each sees the other's database as up to date.
      await run.jamDb(drizzle, 0);
      report.push('jam-db on the database drizzle-kit migrated: nothing to apply');
      await run.drizzleKit(jam);
      compare(
        'drizzle-kit on the database jam-db migrated (schema unchanged)',
        await postgresFingerprint(jam),
      );
      return report;
    });
  }

  /** One iteration: every contender of every scenario once, each fresh run on its own empty database. */
  async iterate(iteration: number, samples: Samples): Promise<void> {
    const { history, contenders: run } = this;
    await run.ensureJamDbBuilt();
    const all = history.migrations;
    await this.withFreshTargets(async ({ jam, psql, drizzle, jamDir, floorDir }) => {
      await rotated(
        iteration,
        [
          ['pg-fresh', 'jam-db', () => run.jamDb(jam, all)],
          ['pg-fresh', 'psql floor', () => run.psql(psql)],
          ['pg-fresh', 'drizzle-kit', () => run.drizzleKit(drizzle)],
        ],
        samples,
      );
      await rotated(
        iteration,
        [
          ['pg-noop', 'jam-db', () => run.jamDb(jam, 0)],
          ['pg-noop', 'drizzle-kit', () => run.drizzleKit(drizzle)],
        ],
        samples,
      );
      await rotated(
        iteration,
        [
          ['pglite-fresh', 'jam-db', () => run.jamDb(`pglite:${jamDir}`, all)],
          ['pglite-fresh', 'PGlite floor', () => run.pgliteFloor(floorDir)],
        ],
        samples,
      );
    });
  }

  /** An empty database per PostgreSQL contender and an empty folder per PGlite one, gone afterwards. */
  private async withFreshTargets<T>(work: (targets: FreshTargets) => Promise<T>): Promise<T> {
    const { databases, workDir } = this;
    const targets: FreshTargets = {
      jam: await databases.create(),
      psql: await databases.create(),
      drizzle: await databases.create(),
      jamDir: freshPgliteDir(workDir, 'jam'),
      floorDir: freshPgliteDir(workDir, 'floor'),
    };
    try {
      return await work(targets);
    } finally {
      for (const url of [targets.jam, targets.psql, targets.drizzle]) await databases.drop(url);
      removeDir(targets.jamDir);
      removeDir(targets.floorDir);
    }
  }
}

async function main(): Promise<number> {
  const workDir = mkdtempSync(join(tmpdir(), 'jam-bench-'));
  const databases = new ScratchDatabases(options.postgresUrl);
  let keepWorkDir = options.keep;
  try {
    const postgresVersion = await databases.open();
    const history = writeHistory(workDir);
    console.log(
      `Synthetic history: ${history.migrations} migrations, ${history.statements} statements in ${history.dir}`,
    );
    const bench = new MigrateBench(history, new Contenders(history, workDir), databases, workDir);

    console.log('Verifying that every contender builds the same schema…');
    const verification = await bench.verify();
    for (const line of verification) console.log(`  ${line}`);

    const samples = new Samples();
    const { iterations } = options;
    for (let i = 0; i < iterations; i++) {
      console.log(`Iteration ${i + 1}/${iterations}…`);
      await iterateDespiteRebuilds(bench, i, samples);
    }

    const facts = {
      migrations: history.migrations,
      statements: history.statements,
      iterations,
      postgresVersion,
      verification,
    };
    writeFileSync(resultsPath, resultsDocument(samples, facts));
    console.log(`\n${resultsTable(samples)}\n\nWritten to bench/RESULTS.md`);
    return 0;
  } catch (error) {
    keepWorkDir = true;
    console.error(`\nBenchmark failed:\n${describe(error)}`);
    console.error(`\nThe synthetic history and the contenders' config stay in ${workDir}`);
    return 1;
  } finally {
    await databases.close().catch(() => {});
    if (!keepWorkDir) removeDir(workDir);
  }
}

/**
 * Another checkout edit can make bin/jam-db.js rebuild mid-run; that iteration
 * timed tsup, so it is thrown away and run again.
 */
async function iterateDespiteRebuilds(
  bench: MigrateBench,
  iteration: number,
  samples: Samples,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const attemptSamples = new Samples();
    try {
      await bench.iterate(iteration, attemptSamples);
      samples.merge(attemptSamples);
      return;
    } catch (error) {
      if (!(error instanceof StaleBuild) || attempt === 3) throw error;
      console.log('  jam-db rebuilt itself during the iteration (sources changed); repeating it');
    }
  }
}

function describe(error: unknown): string {
  if (error instanceof CommandFailed) return error.details();
  if (error instanceof StaleBuild)
    return 'jam-db kept rebuilding itself: its sources keep changing.';
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

process.exitCode = await main();

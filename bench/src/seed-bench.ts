/**
 * Rows per second of `jam-db seed` against row-by-row INSERTs of the same rows
 * and against drizzle-seed on the same schema, on PostgreSQL and on PGlite, and
 * writes SEED-RESULTS.md. A measurement, not a test.
 *
 *   pnpm --filter @jam/bench bench:seed [--scale 100000] [--iterations 3]
 *     [--row-by-row-scale 2000] [--postgres-url <admin url>] [--engines postgres,pglite]
 *
 * Row-by-row at --scale 100000 would take many minutes per run on a 2-core
 * machine, so it runs at --row-by-row-scale and its rate is extrapolated (a rate
 * per row barely depends on the size of the data set: every row is its own round
 * trip). The report says so.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, release, tmpdir, totalmem, type } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createDb, type JamDatabase, Migrator, readMigrationFolder, type Target } from '@jam/db';
import { sql } from 'drizzle-orm';
import { freshPgliteDir, removeDir, ScratchDatabases } from './databases.js';
import { median } from './report.js';
import {
  drizzleSeedContender,
  jamDbSeed,
  plannedCounts,
  rowByRow,
  type SeedContender,
  seedContenders,
} from './seed-contenders.js';

type Engine = 'postgres' | 'pglite';

interface Sample {
  engine: Engine;
  contender: SeedContender;
  scale: number;
  rows: number;
  ms: number;
}

const resultsPath = new URL('../SEED-RESULTS.md', import.meta.url);
const migrationsDir = new URL('../../packages/db/migrations', import.meta.url).pathname;
const tables = [
  'users',
  'api_tokens',
  'programs',
  'quests',
  'user_quests',
  'projects',
  'mentorships',
];

function readOptions() {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    options: {
      scale: { type: 'string', default: '100000' },
      iterations: { type: 'string', default: '3' },
      'row-by-row-scale': { type: 'string', default: '2000' },
      'postgres-url': {
        type: 'string',
        default: process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
      },
      engines: { type: 'string', default: 'postgres,pglite' },
      contenders: { type: 'string', default: seedContenders.join(',') },
    },
  });
  return {
    scale: Number(values.scale),
    iterations: Number(values.iterations),
    rowByRowScale: Number(values['row-by-row-scale']),
    postgresUrl: values['postgres-url']!,
    engines: values.engines!.split(',') as Engine[],
    contenders: values.contenders!.split(',') as SeedContender[],
  };
}

async function countRows(db: JamDatabase): Promise<number> {
  const query = tables.map((t) => `select count(*)::int as n from "${t}"`).join(' union all ');
  const result = (await db.execute(sql.raw(query))) as unknown as { rows: { n: number }[] };
  return result.rows.reduce((sum, row) => sum + Number(row.n), 0);
}

/** A fresh, migrated database of the engine; returns its target and how to drop it. */
async function freshDatabase(
  engine: Engine,
  servers: ScratchDatabases,
  workDir: string,
): Promise<{ target: Target; drop: () => Promise<void> }> {
  const folder = readMigrationFolder(migrationsDir);
  if (engine === 'pglite') {
    const dataDir = freshPgliteDir(workDir, 'seed');
    const target: Target = { engine: 'pglite', dataDir };
    await new Migrator({ target, folder }).migrate();
    return { target, drop: async () => removeDir(dataDir) };
  }
  const url = await servers.create();
  const target: Target = { engine: 'postgres', url };
  await new Migrator({ target, folder }).migrate();
  return { target, drop: () => servers.drop(url) };
}

async function runOnce(
  engine: Engine,
  contender: SeedContender,
  scale: number,
  servers: ScratchDatabases,
  workDir: string,
): Promise<Sample> {
  const database = await freshDatabase(engine, servers, workDir);
  const { db, close } = await createDb({ target: database.target, purpose: 'jam-db bench:seed' });
  try {
    // drizzle-seed's row counts are worked out before the clock starts, like jam-db's plan.
    const counts = contender === 'drizzle-seed' ? plannedCounts(scale) : {};
    const started = performance.now();
    try {
      if (contender === 'jam-db seed') await jamDbSeed(db, scale);
      else if (contender === 'row-by-row') await rowByRow(db, scale);
      else await drizzleSeedContender(db, counts);
    } catch (error) {
      // drizzle's errors carry the whole statement and every parameter: keep the cause.
      const cause = (error as { cause?: Error }).cause ?? (error as Error);
      throw new Error(`${contender} on ${engineTitle(engine)} failed: ${cause.message}`);
    }
    const ms = performance.now() - started;
    return { engine, contender, scale, rows: await countRows(db), ms };
  } finally {
    await close();
    await database.drop();
  }
}

const rate = (s: Sample) => (s.rows / s.ms) * 1000;
const engineTitle = (engine: Engine) => (engine === 'postgres' ? 'PostgreSQL' : 'PGlite');
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

function report(samples: Sample[], options: ReturnType<typeof readOptions>, serverVersion: string) {
  const lines: string[] = [];
  lines.push(
    '| engine | contender | scale | rows | median time | median rows/s | jam-db seed is |',
  );
  lines.push('|---|---|---:|---:|---:|---:|---:|');
  const verdicts: string[] = [];
  for (const engine of options.engines) {
    const of = (c: SeedContender) =>
      samples.filter((s) => s.engine === engine && s.contender === c);
    const jamRate = median(of('jam-db seed').map(rate));
    for (const contender of seedContenders) {
      const runs = of(contender);
      if (runs.length === 0) continue;
      const medianRate = median(runs.map(rate));
      const versus =
        contender === 'jam-db seed' ? '—' : `${(jamRate / medianRate).toFixed(1)}× faster`;
      lines.push(
        `| ${engineTitle(engine)} | ${contender}${contender === 'row-by-row' ? ' (sampled)' : ''} | ${fmt(runs[0]!.scale)} | ${fmt(median(runs.map((r) => r.rows)))} | ${(median(runs.map((r) => r.ms)) / 1000).toFixed(2)} s | ${fmt(medianRate)} | ${versus} |`,
      );
      if (contender === 'row-by-row') {
        verdicts.push(
          `${engineTitle(engine)}: at ${fmt(medianRate)} rows/s, row-by-row would need about ${(median(of('jam-db seed').map((r) => r.rows)) / medianRate).toFixed(0)} s for the ${fmt(options.scale)}-user data set; jam-db seed is ${(jamRate / medianRate).toFixed(1)}× faster (target ≥ 10×: ${jamRate / medianRate >= 10 ? 'met' : 'MISSED'}).`,
        );
      }
      if (contender === 'drizzle-seed') {
        verdicts.push(
          `${engineTitle(engine)}: jam-db seed is ${(jamRate / medianRate).toFixed(1)}× drizzle-seed's rows/s (target > 1×: ${jamRate > medianRate ? 'met' : 'MISSED'}).`,
        );
      }
    }
  }
  const cpu = cpus();
  const sampleLines = samples.map(
    (s) =>
      `| ${engineTitle(s.engine)} | ${s.contender} | ${fmt(s.scale)} | ${fmt(s.rows)} | ${(s.ms / 1000).toFixed(2)} s | ${fmt(rate(s))} |`,
  );
  return `# Seed benchmark results

Written by \`pnpm --filter @jam/bench bench:seed\` (\`bench/src/seed-bench.ts\`).

- Date: ${new Date().toISOString()}
- Machine: ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, ${type()} ${release()}
- Node ${process.version}, PostgreSQL ${serverVersion} (same machine), PGlite 0.5.14, drizzle-orm 0.45.4, drizzle-seed 0.3.1
- Iterations: ${options.iterations} per contender and engine, in rotating order, each on a fresh migrated database; medians reported
- Timed: from the call to the commit, in process; not the migration, not opening the database

${lines.join('\n')}

${verdicts.map((v) => `- ${v}`).join('\n')}

## What runs

- **jam-db seed**: \`seed(db, { scale })\` from \`@jam/db\`, what \`jam-db seed --scale ${options.scale}\` runs: the deterministic data set (users, demo API tokens, programs, quests, user quests, projects, mentorships) written in one transaction, 5,000 rows per \`INSERT … SELECT FROM unnest(…) ON CONFLICT DO NOTHING\`.
- **row-by-row**: the very same rows (the seed's own plan), one \`INSERT … ON CONFLICT DO NOTHING\` per row through drizzle, in one transaction. **Sampled:** it runs at --scale ${fmt(options.rowByRowScale)}, not ${fmt(options.scale)}, and its rows/s stands for the full size (each row costs one round trip whatever the table size; running it at full size would take many minutes per iteration on this 2-core machine).
- **drizzle-seed**: \`seed(db, tables, { seed: 7 }).refine(…)\` on the same tables, with jam-db's row count for every table but one, and generators limited to what the schema's checks accept (roles, ratings 1–5). drizzle-seed does not track the composite unique key (user_id, quest_id): random pairs collide and the insert fails, so it writes one user quest per user (\`with: { userQuests: 1 }\`) instead of about two. Its row count is listed as written; rows/s is what is compared.

## Every sample

| engine | contender | scale | rows | time | rows/s |
|---|---|---:|---:|---:|---:|
${sampleLines.join('\n')}
`;
}

async function main() {
  const options = readOptions();
  const workDir = mkdtempSync(join(tmpdir(), 'jam-seed-bench-'));
  const servers = new ScratchDatabases(options.postgresUrl);
  const serverVersion = options.engines.includes('postgres')
    ? await servers.open()
    : 'not measured';
  const samples: Sample[] = [];
  try {
    for (let iteration = 0; iteration < options.iterations; iteration++) {
      for (const engine of options.engines) {
        // Rotate the order so a slow phase of a shared machine falls on every contender alike.
        const { contenders } = options;
        const order = contenders.map((_, i) => contenders[(i + iteration) % contenders.length]!);
        for (const contender of order) {
          const scale = contender === 'row-by-row' ? options.rowByRowScale : options.scale;
          const sample = await runOnce(engine, contender, scale, servers, workDir);
          samples.push(sample);
          process.stderr.write(
            `[${iteration + 1}/${options.iterations}] ${engineTitle(engine)} ${contender} scale ${scale}: ${fmt(sample.rows)} rows in ${(sample.ms / 1000).toFixed(2)} s = ${fmt(rate(sample))} rows/s\n`,
          );
        }
      }
    }
  } finally {
    if (options.engines.includes('postgres')) await servers.close();
    removeDir(workDir);
  }
  const document = report(samples, options, serverVersion);
  writeFileSync(resultsPath, document);
  process.stdout.write(document);
}

await main();

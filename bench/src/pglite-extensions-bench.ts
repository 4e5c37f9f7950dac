/**
 * PGlite and the extensions it ships: what loading their bundles costs when
 * PGlite opens (medians in one process), and whether `jam-db migrate` on PGlite
 * builds the same schema as two references for the real histories that need
 * extensions: PGlite applying each file itself, one transaction per file, and
 * PostgreSQL applying them with psql -1 where the server has the extension.
 * Writes PGLITE-EXTENSIONS.md. A measurement, not a test.
 *
 *   pnpm --filter @jam/bench bench:pglite-extensions [--iterations <n>] [--postgres-url <admin url>] [--only <corpus>]…
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import {
  extensionBundles,
  shippedExtensionNames,
} from '../../packages/db/src/engines/pglite/extensions.js';
import { ScratchDatabases } from './databases.js';
import { benchDir, corporaDir, workspaceJamDbBin } from './paths.js';

const jamDbBin = workspaceJamDbBin;
const resultsPath = join(benchDir, 'PGLITE-EXTENSIONS.md');

const { values: options } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    iterations: { type: 'string', default: '7' },
    'postgres-url': {
      type: 'string',
      default: process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    },
    only: { type: 'string', multiple: true },
  },
});
const iterations = Number(options.iterations);

/** The corpora that need an extension, and what their MANIFEST says to create before applying. */
const corpora: { name: string; extensions: string[]; createFirst: string[] }[] = [
  { name: 'autumn', extensions: ['pg_trgm'], createFirst: ['pg_trgm'] },
  { name: 'giselle', extensions: ['vector'], createFirst: [] },
  { name: 'scorebrawl', extensions: ['uuid-ossp'], createFirst: [] },
  { name: 'tambo', extensions: ['pgcrypto'], createFirst: [] },
];

const workDir = mkdtempSync(join(tmpdir(), 'jam-bench-pglite-ext-'));
const median = (samples: number[]): number => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

interface OpenCost {
  label: string;
  /** Median open time with these bundles. */
  ms: number;
  /** Median of (with these bundles − with none, opened just before): the load of a shared machine drifts. */
  extraMs: number;
  /** The same for CPU time (all threads of the process), which waiting for a busy machine does not inflate. */
  extraCpuMs: number;
  samples: number[];
}

/** Opens copies of an empty cluster with each set of bundles, each right after one with none. */
async function measureOpens(): Promise<{ none: number; costs: OpenCost[] }> {
  const empty = join(workDir, 'empty');
  await (await PGlite.create(empty)).close();
  const sets: [string, string[]][] = [
    ['pg_trgm', ['pg_trgm']],
    ['uuid-ossp', ['uuid-ossp']],
    ['pgcrypto', ['pgcrypto']],
    ['vector', ['vector']],
    ['those four', ['pg_trgm', 'uuid-ossp', 'pgcrypto', 'vector']],
    [`all ${shippedExtensionNames().length} shipped`, shippedExtensionNames()],
  ];
  const open = async (names: string[]): Promise<{ ms: number; cpuMs: number }> => {
    const dir = mkdtempSync(join(workDir, 'open-'));
    cpSync(empty, dir, { recursive: true });
    const started = performance.now();
    const cpu = process.cpuUsage();
    const db = await PGlite.create(dir, { extensions: await extensionBundles(names) });
    await db.query('select extname from pg_extension');
    const used = process.cpuUsage(cpu);
    const ms = performance.now() - started;
    await db.close();
    rmSync(dir, { recursive: true, force: true });
    return { ms, cpuMs: (used.user + used.system) / 1000 };
  };
  const none: number[] = [];
  const samples = new Map(sets.map(([label]) => [label, [] as number[]]));
  const extra = new Map(sets.map(([label]) => [label, [] as number[]]));
  const extraCpu = new Map(sets.map(([label]) => [label, [] as number[]]));
  for (let i = 0; i < iterations; i++) {
    for (let k = 0; k < sets.length; k++) {
      const [label, names] = sets[(i + k) % sets.length]!;
      const without = await open([]);
      const withThem = await open(names);
      none.push(without.ms);
      samples.get(label)!.push(withThem.ms);
      extra.get(label)!.push(withThem.ms - without.ms);
      extraCpu.get(label)!.push(withThem.cpuMs - without.cpuMs);
    }
  }
  return {
    none: median(none),
    costs: sets.map(([label]) => ({
      label,
      ms: median(samples.get(label)!),
      extraMs: median(extra.get(label)!),
      extraCpuMs: median(extraCpu.get(label)!),
      samples: samples.get(label)!,
    })),
  };
}

/**
 * Every relation, column, constraint, index, enum, function, trigger, policy and
 * extension outside the system schemas and drizzle's, as sorted lines. NOT NULL
 * constraints are left out (PostgreSQL 18, which PGlite is, lists them in
 * pg_constraint; 15 does not) since the columns carry nullability.
 */
const fingerprintSql = `
  select 'column ' || c.table_schema || '.' || c.table_name || '.' || c.column_name || ': ' ||
         concat_ws(' ', c.udt_name, c.character_maximum_length, c.is_nullable, c.column_default) as line
    from information_schema.columns c
   where c.table_schema not in ('pg_catalog', 'information_schema', 'drizzle')
  union all
  select 'index ' || schemaname || '.' || indexname || ': ' || indexdef from pg_indexes
   where schemaname not in ('pg_catalog', 'information_schema', 'drizzle')
  union all
  select 'constraint ' || conrelid::regclass::text || '.' || conname || ': ' || pg_get_constraintdef(oid)
    from pg_constraint
   where contype <> 'n' and connamespace::regnamespace::text not in ('pg_catalog', 'information_schema', 'drizzle')
  union all
  select 'enum ' || t.typnamespace::regnamespace::text || '.' || t.typname || ': ' ||
         string_agg(e.enumlabel, ',' order by e.enumsortorder)
    from pg_type t join pg_enum e on e.enumtypid = t.oid group by t.typnamespace, t.typname
  union all
  select 'function ' || p.oid::regprocedure::text || ': ' || md5(pg_get_functiondef(p.oid))
    from pg_proc p
   where p.pronamespace::regnamespace::text not in ('pg_catalog', 'information_schema', 'drizzle')
     and p.prokind in ('f', 'p')
     and not exists (select from pg_depend d where d.objid = p.oid and d.deptype = 'e')
  union all
  select 'trigger ' || tgrelid::regclass::text || '.' || tgname || ': ' || pg_get_triggerdef(oid)
    from pg_trigger where not tgisinternal
  union all
  select 'policy ' || schemaname || '.' || tablename || '.' || policyname || ': ' ||
         concat_ws(' ', cmd, roles::text, qual, with_check)
    from pg_policies
  union all
  select 'extension ' || extname from pg_extension`;

const asLines = (rows: { line: string }[]) => rows.map((r) => r.line).sort();

async function pgliteFingerprint(dir: string, extensions: string[]): Promise<string[]> {
  const db = await PGlite.create(dir, { extensions: await extensionBundles(extensions) });
  try {
    return asLines((await db.query<{ line: string }>(fingerprintSql)).rows);
  } finally {
    await db.close();
  }
}

async function postgresFingerprint(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return asLines((await client.query<{ line: string }>(fingerprintSql)).rows);
  } finally {
    await client.end();
  }
}

async function adminQuery(text: string): Promise<{ rolname: string }[]> {
  const client = new pg.Client({ connectionString: options['postgres-url'] });
  await client.connect();
  try {
    return (await client.query<{ rolname: string }>(text)).rows;
  } finally {
    await client.end();
  }
}

const roleNames = async (): Promise<string[]> =>
  (await adminQuery('select rolname from pg_roles')).map((r) => r.rolname);

function diff(a: string[], b: string[], limit = 4): string[] {
  const inA = new Set(a);
  const inB = new Set(b);
  return [
    ...a.filter((l) => !inB.has(l)).map((l) => `- ${l}`),
    ...b.filter((l) => !inA.has(l)).map((l) => `+ ${l}`),
  ].slice(0, limit);
}

function migrationFiles(name: string): string[] {
  const dir = join(corporaDir, name);
  const journal = JSON.parse(readFileSync(join(dir, 'meta', '_journal.json'), 'utf8')) as {
    entries: { idx: number; tag: string }[];
  };
  return [...journal.entries].sort((a, b) => a.idx - b.idx).map((e) => join(dir, `${e.tag}.sql`));
}

const withoutComments = (sql: string) =>
  sql.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/--[^\n]*/g, ' ');
const outsideTransaction = (sql: string) => /\bconcurrently\b/i.test(withoutComments(sql));

/** PGlite's own apply: each file in one transaction, a CONCURRENTLY file statement by statement. */
async function pgliteReference(dir: string, name: string, extensions: string[]): Promise<void> {
  const db = await PGlite.create(dir, { extensions: await extensionBundles(extensions) });
  try {
    for (const ext of corpora.find((c) => c.name === name)!.createFirst) {
      await db.exec(`CREATE EXTENSION IF NOT EXISTS "${ext}"`);
    }
    for (const file of migrationFiles(name)) {
      const sql = readFileSync(file, 'utf8');
      if (!outsideTransaction(sql)) {
        await db.exec(`BEGIN;\n${sql}\n;COMMIT;`);
        continue;
      }
      for (const statement of sql.split('--> statement-breakpoint')) {
        if (withoutComments(statement).trim()) await db.exec(statement);
      }
    }
  } finally {
    await db.close();
  }
}

function psqlReference(url: string, name: string): string | null {
  for (const file of migrationFiles(name)) {
    const sql = readFileSync(file, 'utf8');
    const args = ['-X', '-q', '-v', 'ON_ERROR_STOP=1', ...(outsideTransaction(sql) ? [] : ['-1'])];
    const run = spawnSync('psql', [...args, '-d', url, '-f', file], { encoding: 'utf8' });
    if (run.status !== 0) return `${file.split('/').pop()}: ${run.stderr.trim().split('\n')[0]}`;
  }
  return null;
}

interface CorpusRow {
  name: string;
  migrations: number;
  jamOk: boolean;
  jamMs: number;
  jamError?: string;
  equalToPglite: string;
  equalToPostgres: string;
  lines: number;
}

async function measureCorpus(
  corpus: (typeof corpora)[number],
  server: ScratchDatabases,
  available: Set<string>,
): Promise<CorpusRow> {
  const files = migrationFiles(corpus.name);
  const jamDir = join(workDir, `jam-${corpus.name}`);
  if (corpus.createFirst.length > 0) {
    const db = await PGlite.create(jamDir, {
      extensions: await extensionBundles(corpus.createFirst),
    });
    for (const ext of corpus.createFirst) await db.exec(`CREATE EXTENSION "${ext}"`);
    await db.close();
  }
  const started = performance.now();
  const run = spawnSync(
    process.execPath,
    [jamDbBin, 'migrate', '--json', '--migrations', join(corporaDir, corpus.name)],
    { encoding: 'utf8', env: { ...process.env, DATABASE_URL: `pglite:${jamDir}` } },
  );
  const row: CorpusRow = {
    name: corpus.name,
    migrations: files.length,
    jamOk: run.status === 0,
    jamMs: performance.now() - started,
    equalToPglite: '–',
    equalToPostgres: '–',
    lines: 0,
  };
  if (!row.jamOk) {
    row.jamError = (run.stderr.split('\n')[0] ?? '').replace('jam-db: ', '');
    return row;
  }
  const mine = await pgliteFingerprint(jamDir, corpus.extensions);
  row.lines = mine.length;

  const referenceDir = join(workDir, `reference-${corpus.name}`);
  try {
    await pgliteReference(referenceDir, corpus.name, corpus.extensions);
    const reference = await pgliteFingerprint(referenceDir, corpus.extensions);
    const d = diff(reference, mine);
    row.equalToPglite = d.length === 0 ? 'yes' : `no: ${d.join('; ')}`;
  } catch (error) {
    row.equalToPglite = `reference failed: ${(error as Error).message}`;
  }

  const missing = corpus.extensions.filter((e) => !available.has(e));
  if (missing.length > 0) {
    row.equalToPostgres = `not compared: the server lacks ${missing.join(', ')}`;
    return row;
  }
  const rolesBefore = new Set(await roleNames());
  const url = await server.create();
  try {
    const setup = corpus.createFirst.map((e) => `CREATE EXTENSION IF NOT EXISTS "${e}";`).join('');
    if (setup) spawnSync('psql', ['-X', '-q', '-d', url, '-c', setup]);
    const failed = psqlReference(url, corpus.name);
    if (failed) {
      row.equalToPostgres = `reference failed: ${failed}`;
    } else {
      const d = diff(await postgresFingerprint(url), mine);
      row.equalToPostgres = d.length === 0 ? 'yes' : `no: ${d.join('; ')}`;
    }
  } finally {
    await server.drop(url);
    // tambo creates cluster-wide roles: drop those this run made, and only those.
    for (const role of await roleNames()) {
      if (!rolesBefore.has(role)) await adminQuery(`DROP ROLE IF EXISTS "${role}"`);
    }
  }
  return row;
}

async function main(): Promise<void> {
  const started = new Date();
  const opens = await measureOpens();
  const server = new ScratchDatabases(options['postgres-url']);
  const version = await server.open();
  const admin = new pg.Client({ connectionString: options['postgres-url'] });
  await admin.connect();
  const available = new Set(
    (await admin.query<{ name: string }>('select name from pg_available_extensions')).rows.map(
      (r) => r.name,
    ),
  );
  await admin.end();
  const rows: CorpusRow[] = [];
  try {
    for (const corpus of corpora) {
      if (options.only && !options.only.includes(corpus.name)) continue;
      rows.push(await measureCorpus(corpus, server, available));
      console.log(`${corpus.name}: done`);
    }
  } finally {
    await server.close();
    rmSync(workDir, { recursive: true, force: true });
  }
  const report = `# PGlite and its extensions

Written by \`pnpm --filter @jam/bench bench:pglite-extensions\` (bench/src/pglite-extensions-bench.ts).
Ran ${started.toISOString().replace(/\.\d+Z$/, 'Z')} on PGlite ${'0.5.14'} (PostgreSQL 18), PostgreSQL ${version} for the psql reference,
Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.split(' ').slice(0, 2).join(' ')}, on a shared machine: rough.

## What loading extension bundles costs

\`PGlite.create(<copy of an empty folder>, { extensions })\` and one catalog query, in one
process, ${iterations} iterations with the order rotated, each right after an open with no
bundles (median of those: ${Math.round(opens.none)} ms); "more" is the median of the paired
differences, which the machine's drifting load disturbs less than a difference of medians;
"more CPU" is the same for the process's CPU time (all its threads), which waiting for a busy
machine does not inflate.

| bundles loaded | open (median) | more than none | more CPU than none | samples (ms) |
|---|---:|---:|---:|---|
${opens.costs.map((o) => `| ${o.label} | ${Math.round(o.ms)} ms | ${Math.round(o.extraMs)} ms | ${Math.round(o.extraCpuMs)} ms | ${o.samples.map(Math.round).join(', ')} |`).join('\n')}

So jam-db loads bundles on demand: those the folder's migrations create and those the
database already has (read from \`pg_extension\`; PGlite is opened a second time only when
the database has one the migrations do not create).

## The real histories that need extensions, on PGlite

\`jam-db migrate --json\` into a fresh \`pglite:<folder>\` (for autumn, \`pg_trgm\` created in the
folder first, as its MANIFEST says; jam-db then loads it because the database has it).
Compared as catalog fingerprints (every column with type, nullability and default, index,
constraint, enum, function body hash, trigger, policy and extension outside the system schemas)
with (1) PGlite applying each file itself, one transaction per file (files with CONCURRENTLY
statement by statement), and (2) PostgreSQL applying each file with \`psql -1\` where the
server has the extension (this one lacks \`vector\`, so giselle is compared with (1) only).

| corpus | migrations | jam-db migrate on PGlite | time | same as PGlite's own apply | same as psql on PostgreSQL | fingerprint lines |
|---|---:|---|---:|---|---|---:|
${rows
  .map(
    (r) =>
      `| ${r.name} | ${r.migrations} | ${r.jamOk ? 'yes' : `no: ${r.jamError}`} | ${(r.jamMs / 1000).toFixed(1)} s | ${r.equalToPglite} | ${r.equalToPostgres} | ${r.lines} |`,
  )
  .join('\n')}
`;
  writeFileSync(resultsPath, report);
  console.log(report);
}

await main();

/**
 * Random SIGKILLs during `jam-db migrate` of a real history (../shared/corpora, read in
 * place). Each trial: a fresh database, `jam-db migrate` killed at a random moment of
 * its run, then the recorded state (tracking rows and segment progress, as `jam-db
 * status --json` reports them) held against the schema the database holds, then
 * `jam-db migrate` again and the final schema against the reference. The reference is
 * built once: the files applied one by one with `psql -1` (CONCURRENTLY files without
 * -1), schema facts read after each; for a migration jam-db runs in segments, the facts
 * after each of its segments too, on a copy of the database. Writes KILL-TRIALS.md.
 *
 *   pnpm --filter @jam/bench bench:kill [--corpus eikona-api] [--trials 50] [--seed <n>]
 *     [--postgres-url <admin url>] [--jam-db <path to bin/jam-db.js>] [--out <file>]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import {
  type Migration,
  readMigrationFolder,
} from '../../packages/db/src/drizzle-kit/migration-folder.js';
import type { Session } from '../../packages/db/src/engines/session.js';
import {
  diffSchemaFacts,
  readSchemaFacts,
  type SchemaFacts,
} from '../../packages/db/src/introspect/schema-facts.js';
import { planMigration } from '../../packages/db/src/migrations/segments.js';
import { ScratchDatabases } from './databases.js';
import { benchDir, repoRoot } from './paths.js';
import { withoutPasswords } from './timed-command.js';

const { values: options } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    corpus: { type: 'string', default: 'eikona-api' },
    trials: { type: 'string', default: '50' },
    seed: { type: 'string', default: String(Date.now() % 1_000_000) },
    'postgres-url': {
      type: 'string',
      default: process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    },
    'jam-db': { type: 'string', default: join(repoRoot, 'packages', 'db', 'bin', 'jam-db.js') },
    out: { type: 'string', default: join(benchDir, 'KILL-TRIALS.md') },
    /** Kill only within --window ms after the migration before this tag ran: aims at one migration. */
    focus: { type: 'string' },
    window: { type: 'string', default: '40' },
  },
});
const corpusDir = resolve(repoRoot, '..', 'shared', 'corpora', options.corpus);
// pnpm runs the script in bench/; paths given on the command line are meant from where the user stood.
const userCwd = process.env.INIT_CWD ?? process.cwd();
const jamDbBin = resolve(userCwd, options['jam-db']);
const outPath = resolve(userCwd, options.out);
const trialCount = Number(options.trials);
if (!Number.isInteger(trialCount) || trialCount < 1)
  throw new Error('--trials takes a whole number ≥ 1');

/** What a history needs before it applies on a bare database (see the corpora's MANIFEST). */
const prerequisites: Record<string, string> = {
  autumn: 'CREATE EXTENSION IF NOT EXISTS pg_trgm;',
  'claude-code-hub':
    'CREATE SCHEMA IF NOT EXISTS drizzle; CREATE TABLE IF NOT EXISTS drizzle.__drizzle_migrations (id serial PRIMARY KEY, hash text NOT NULL, created_at bigint);',
};

/** A small seeded generator (mulberry32), so a run can be repeated with --seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Finished {
  code: number | null;
  ms: number;
  stdout: string;
  stderr: string;
}

function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['DATABASE_URL', 'JAM_DB_DIRECT_URL', 'JAM_DB_DRIVER', 'NEON_WS_PROXY']) {
    delete env[name];
  }
  return env;
}

/** The progress line after which kills fall: the start of the work, or with --focus the migration before the focused one. */
let killMark = 'Migrating';

function start(command: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const started = performance.now();
  const child = spawn(command, args, {
    cwd: repoRoot,
    env: { ...cleanEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let markSaid: (ms: number) => void = () => {};
  /** When the command printed `killMark` ("Migrating …": node's start-up is over). */
  const working = new Promise<number>((said) => {
    markSaid = said;
  });
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (stdout.includes(killMark)) markSaid(performance.now() - started);
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const finished = new Promise<Finished>((done, fail) => {
    child.on('error', fail);
    child.on('close', (code) => done({ code, ms: performance.now() - started, stdout, stderr }));
  });
  return { child, finished, working };
}

const run = (command: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
  start(command, args, env).finished;

const jamDb = (url: string, ...args: string[]) =>
  run(process.execPath, [jamDbBin, ...args, '--migrations', corpusDir], { DATABASE_URL: url });

const firstLine = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line && !line.startsWith('jam-db: building')) ?? '(no output)';

/** A node-postgres client as the Session schema-facts reads through. */
async function withSession<T>(url: string, work: (session: Session) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: 'jam-bench' });
  await client.connect();
  const session: Session = {
    engine: 'postgres',
    query: async <Row>(text: string, params?: unknown[]) =>
      (await client.query(text, params)).rows as Row[],
    exec: async (text: string) => {
      await client.query(text);
    },
    close: () => client.end(),
  };
  try {
    return await work(session);
  } finally {
    await client.end();
  }
}

const factsOf = (url: string) => withSession(url, readSchemaFacts);

async function psql(url: string, args: string[]): Promise<void> {
  const result = await run('psql', ['-q', '-X', '-v', 'ON_ERROR_STOP=1', ...args, '-d', url]);
  if (result.code !== 0) throw new Error(`psql ${args.join(' ')}: ${firstLine(result.stderr)}`);
}

const databaseName = (url: string) => new URL(url).pathname.slice(1);

/** The expected schema after k migrations and, for one run in segments, after d of its segments. */
class Reference {
  /** facts[k]: after the first k files. */
  readonly facts: SchemaFacts[] = [];
  /** partial.get(k)[d]: after the first k files and d segments of file k+1. */
  readonly partial = new Map<number, SchemaFacts[]>();
  ms = 0;

  constructor(
    private readonly databases: ScratchDatabases,
    private readonly admin: pg.Client,
  ) {}

  async build(migrations: Migration[]): Promise<void> {
    const started = performance.now();
    const url = await this.databases.create();
    try {
      const setup = prerequisites[options.corpus];
      if (setup) await psql(url, ['-c', setup]);
      this.facts.push(await factsOf(url));
      for (const [k, migration] of migrations.entries()) {
        const { segmented } = await planMigration(migration);
        if (segmented && segmented.segments.length > 1) {
          this.partial.set(k, await this.segmentFacts(url, segmented));
        }
        const concurrently = /\bconcurrently\b/i.test(migration.sql);
        await psql(url, [...(concurrently ? [] : ['-1']), '-f', migration.path]);
        this.facts.push(await factsOf(url));
        if ((k + 1) % 25 === 0)
          process.stdout.write(`  reference: ${k + 1} of ${migrations.length}\n`);
      }
    } finally {
      await this.databases.drop(url);
    }
    this.ms = performance.now() - started;
  }

  /** Applies the segments one by one on a copy of the database (as it was before the file), reading facts after each. */
  private async segmentFacts(
    url: string,
    segmented: NonNullable<Awaited<ReturnType<typeof planMigration>>['segmented']>,
  ): Promise<SchemaFacts[]> {
    const copy = await this.databases.create();
    await this.admin.query(`DROP DATABASE "${databaseName(copy)}"`);
    await this.admin.query(
      `CREATE DATABASE "${databaseName(copy)}" TEMPLATE "${databaseName(url)}"`,
    );
    try {
      return await withSession(copy, async (session) => {
        const after: SchemaFacts[] = [await readSchemaFacts(session)];
        for (const segment of segmented.segments.slice(0, -1)) {
          const sql = segment.statements.map((i) => segmented.statements[i]).join(';\n');
          await session.exec(segment.transactional ? `BEGIN;\n${sql};\nCOMMIT;` : sql);
          after.push(await readSchemaFacts(session));
        }
        return after;
      });
    } finally {
      await this.databases.drop(copy);
    }
  }
}

interface Trial {
  trial: number;
  killAtMs: number;
  /** False when the run finished before its kill moment: not a kill trial, drawn again. */
  killed: boolean;
  /** What the recorded state says, e.g. "113 applied + 0113: 1 of 2 segments". */
  recorded: string;
  consistent: boolean;
  finished: boolean;
  problem?: string;
}

interface StatusDocument {
  applied: { tag: string }[];
  pending: {
    tag: string;
    segmentsApplied?: number;
    segmentsTotal?: number;
    interruptedSegment?: number | null;
  }[];
}

/** Waits until no other session works on the database: a killed client's server process may still run its last statement. */
async function untilIdle(admin: pg.Client, url: string): Promise<void> {
  for (;;) {
    const { rows } = await admin.query(
      'select 1 from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
      [databaseName(url)],
    );
    if (rows.length === 0) return;
    await sleep(50);
  }
}

async function trial(
  number: number,
  killAtMs: number,
  reference: Reference,
  migrations: Migration[],
  databases: ScratchDatabases,
  admin: pg.Client,
): Promise<Trial> {
  const url = await databases.create();
  const result: Trial = {
    trial: number,
    killAtMs,
    killed: false,
    recorded: '',
    consistent: false,
    finished: false,
  };
  try {
    const setup = prerequisites[options.corpus];
    if (setup) await psql(url, ['-c', setup]);
    const migrate = start(process.execPath, [jamDbBin, 'migrate', '--migrations', corpusDir], {
      DATABASE_URL: url,
    });
    const outcome = await Promise.race([
      migrate.finished,
      migrate.working.then(() => sleep(killAtMs)).then(() => 'kill' as const),
    ]);
    if (outcome === 'kill') await kill(migrate.child);
    else return result;
    result.killed = true;
    await untilIdle(admin, url);

    const status = await jamDb(url, 'status', '--json');
    const doc = JSON.parse(status.stdout) as StatusDocument;
    const k = doc.applied.length;
    const prefix = migrations.slice(0, k).map((m) => m.tag);
    const next = doc.pending[0];
    const segments = next?.segmentsApplied;
    result.recorded = `${k} applied${
      segments === undefined
        ? ''
        : ` + ${next!.tag.split('_')[0]}: ${segments} of ${next!.segmentsTotal} segments${next!.interruptedSegment ? ` (segment ${next!.interruptedSegment} interrupted)` : ''}`
    }`;
    if (doc.applied.some((a, i) => a.tag !== prefix[i])) {
      result.problem = `applied migrations are not the first ${k} of the folder`;
      return result;
    }
    const actual = await factsOf(url);
    const candidates =
      segments === undefined
        ? [reference.facts[k]]
        : [
            reference.partial.get(k)?.[segments],
            next?.interruptedSegment
              ? (reference.partial.get(k)?.[segments + 1] ?? reference.facts[k + 1])
              : undefined,
          ];
    const differences = candidates
      .filter((facts): facts is SchemaFacts => facts !== undefined)
      .map((facts) => diffSchemaFacts(facts, actual));
    result.consistent = differences.some((d) => d.length === 0);
    if (!result.consistent) {
      result.problem = `schema is not the schema after ${result.recorded}: ${differences[0]?.slice(0, 3).join('; ') ?? 'no reference for that state'}`;
    }

    const again = await jamDb(url, 'migrate');
    if (again.code !== 0) {
      result.problem ??= `next migrate failed (exit ${again.code}): ${firstLine(again.stderr)}`;
      return result;
    }
    const final = diffSchemaFacts(reference.facts[migrations.length]!, await factsOf(url));
    result.finished = final.length === 0;
    if (!result.finished)
      result.problem ??= `final schema differs: ${final.slice(0, 3).join('; ')}`;
    return result;
  } catch (error) {
    result.problem = withoutPasswords((error as Error).message);
    return result;
  } finally {
    await databases.drop(url);
  }
}

const kill = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });

function report(trials: Trial[], context: Record<string, string>): string {
  const consistent = trials.filter((t) => t.consistent).length;
  const finished = trials.filter((t) => t.finished).length;
  const states = new Map<string, number>();
  for (const t of trials) states.set(t.recorded, (states.get(t.recorded) ?? 0) + 1);
  const lines = [
    '# Kill trials',
    '',
    'Written by `pnpm --filter @jam/bench bench:kill` (bench/src/kill-trials.ts). Each trial',
    'migrates a fresh PostgreSQL database with `jam-db migrate`, SIGKILLs it at a random moment',
    'of its run, checks that the recorded state (tracking rows and segment progress, read with',
    '`jam-db status --json`) is the schema the database holds, then runs `jam-db migrate` again',
    'and compares the final schema with the reference (the files applied one by one with',
    '`psql -1`; schema facts compared, `src/introspect/schema-facts.ts`).',
    '',
    ...Object.entries(context).map(([key, value]) => `- ${key}: ${value}`),
    '',
    `**${trials.length} trials: ${consistent} left a recorded state equal to the schema, ${finished} finished with the reference schema on the next \`migrate\`.**`,
    '',
    '| recorded state after the kill | trials |',
    '|---|---:|',
    ...[...states.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([state, count]) => `| ${state} | ${count} |`),
    '',
  ];
  const failures = trials.filter((t) => !t.consistent || !t.finished);
  lines.push(failures.length === 0 ? 'No failures.' : '## Failures', '');
  for (const t of failures) {
    lines.push(
      `- trial ${t.trial} (killed ${Math.round(t.killAtMs)} ms into the work, recorded ${t.recorded || '?'}): ${t.problem ?? ''}`.replaceAll(
        '|',
        '\\|',
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  const migrations = readMigrationFolder(corpusDir).migrations;
  const adminUrl = options['postgres-url'];
  const databases = new ScratchDatabases(adminUrl);
  const serverVersion = await databases.open();
  const admin = new pg.Client({ connectionString: adminUrl, application_name: 'jam-bench' });
  await admin.connect();
  const next = random(Number(options.seed));
  try {
    console.log(
      `Kill trials: ${options.corpus} (${migrations.length} migrations), ${trialCount} trials, seed ${options.seed}`,
    );
    const reference = new Reference(databases, admin);
    await reference.build(migrations);
    console.log(
      `Reference built in ${(reference.ms / 1000).toFixed(1)} s (${reference.partial.size} migration(s) in segments).`,
    );

    // One undisturbed run: how long a kill may wait, and proof that the plain run finishes.
    const calibration = await databases.create();
    let workMs: number;
    try {
      const setup = prerequisites[options.corpus];
      if (setup) await psql(calibration, ['-c', setup]);
      const migrate = start(process.execPath, [jamDbBin, 'migrate', '--migrations', corpusDir], {
        DATABASE_URL: calibration,
      });
      const full = await migrate.finished;
      if (full.code !== 0)
        throw new Error(`jam-db migrate failed without a kill: ${firstLine(full.stderr)}`);
      const differences = diffSchemaFacts(
        reference.facts[migrations.length]!,
        await factsOf(calibration),
      );
      if (differences.length > 0)
        throw new Error(
          `jam-db migrate left another schema: ${differences.slice(0, 3).join('; ')}`,
        );
      workMs = full.ms - (await migrate.working);
    } finally {
      await databases.drop(calibration);
    }
    console.log(
      `One undisturbed jam-db migrate works ${(workMs / 1000).toFixed(2)} s after start-up; kills fall uniformly in that time.`,
    );

    if (options.focus) {
      const at = migrations.findIndex((m) => m.tag === options.focus);
      if (at < 1) throw new Error(`--focus ${options.focus}: no such migration after the first`);
      killMark = `ran      ${migrations[at - 1]!.tag}`;
      workMs = Number(options.window);
      console.log(`Kills fall within ${workMs} ms after the line "${killMark}".`);
    }
    const trials: Trial[] = [];
    let redrawn = 0;
    console.log('trial | killed at | recorded state | consistent | finished');
    for (let i = 1; i <= trialCount; i++) {
      let t = await trial(i, next() * workMs, reference, migrations, databases, admin);
      // A run faster than the calibration may end before its kill moment: draw another moment.
      for (let again = 0; !t.killed && !t.problem && again < 5; again++) {
        redrawn++;
        t = await trial(i, next() * workMs, reference, migrations, databases, admin);
      }
      trials.push(t);
      console.log(
        `${String(i).padStart(5)} | ${String(Math.round(t.killAtMs)).padStart(6)} ms | ${t.recorded.padEnd(32)} | ${t.consistent ? 'yes' : 'NO '}        | ${t.finished ? 'yes' : 'NO'}${t.problem ? `  ${t.problem}` : ''}`,
      );
    }
    const document = report(trials, {
      corpus: `${options.corpus} (${migrations.length} migrations)`,
      'jam-db':
        jamDbBin === resolve(join(repoRoot, 'packages', 'db', 'bin', 'jam-db.js'))
          ? 'this checkout'
          : jamDbBin,
      PostgreSQL: serverVersion,
      seed: options.seed,
      'kill moments': options.focus
        ? `uniform over the ${workMs} ms after jam-db printed that ${killMark.replace(/\s+/, ' ')} (aimed at ${options.focus})`
        : `uniform over the ${(workMs / 1000).toFixed(2)} s an undisturbed \`jam-db migrate\` works after node's start-up (from its "Migrating …" line to its exit)`,
      'reference build': `${(reference.ms / 1000).toFixed(1)} s`,
      'moments drawn again': `${redrawn} (the run had finished before its kill moment)`,
      date: new Date().toISOString().slice(0, 10),
    });
    writeFileSync(outPath, document);
    console.log(`\n${document}`);
    console.log(`Wrote ${outPath}`);
  } finally {
    await admin.end();
    await databases.close();
  }
}

await main();

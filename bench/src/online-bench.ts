/**
 * Write stalls while the schema changes: the statements drizzle-kit generates, run the way
 * drizzle-orm's migrator runs them (one transaction), against the same migrations made safe
 * by `jam-db lint --fix` and run by `jam-db migrate`. Writes ONLINE-RESULTS.md. A
 * measurement, not a test (issue #11). Then the expand / contract rows of issue #12
 * (online-phased.ts; `--cases rename,type-change,volatile-default` runs only those, and the
 * file keeps the other table from its previous run).
 *
 *   pnpm --filter @jam/bench bench:online [--rows 1000000] [--clients 8] [--cases a,b]
 *     [--repeat 1] [--quick] [--url <admin url>] [--jam-db <path to bin/jam-db.js>]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, type } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { ScratchDatabases } from './databases.js';
import {
  baseTag,
  fillSql,
  type OnlineCase,
  onlineCases,
  writeMigrationFolder,
} from './online-cases.js';
import { type Change, jamDbChange, plainChange } from './online-contenders.js';
import { holdReader, WriteLoad, windowStats } from './online-load.js';
import { mergeResultsFile, phasedSection, runPhasedCases } from './online-phased.js';
import { phasedCaseKeys, phasedCases } from './online-phased-cases.js';
import {
  type CaseResult,
  type ContenderName,
  caseNotes,
  everyRunTable,
  goalLine,
  type RunResult,
  resultsTable,
  seconds,
} from './online-report.js';
import { schemaLines } from './online-schema.js';
import { benchDir, repoRoot, workspaceJamDbBin } from './paths.js';
import { spawnCommand, withoutPasswords } from './timed-command.js';

const resultsPath = join(benchDir, 'ONLINE-RESULTS.md');
const beforeMs = 1000;
const afterMs = 1000;
/** The reader case: the migration starts this long after the reader took its lock. */
const readerLeadMs = 200;

function readOptions() {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    options: {
      rows: { type: 'string' },
      clients: { type: 'string', default: '8' },
      cases: { type: 'string' },
      repeat: { type: 'string', default: '1' },
      quick: { type: 'boolean', default: false },
      url: {
        type: 'string',
        default: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
      },
      'jam-db': { type: 'string', default: workspaceJamDbBin },
    },
  });
  const whole = (name: string, text: string, min: number, max: number) => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new Error(`--${name} must be a whole number from ${min} to ${max}, not ${text}.`);
    }
    return value;
  };
  const keys = values.cases?.split(',').map((key) => key.trim()) ?? [];
  const known = [...onlineCases.map((c) => c.key), ...phasedCaseKeys];
  const unknown = keys.filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    throw new Error(`--cases: unknown ${unknown.join(', ')}; known: ${known.join(', ')}.`);
  }
  const url = values.url;
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname)) {
    throw new Error('--url must point at a loopback address: the bench loads the server hard.');
  }
  return {
    rows: whole('rows', values.rows ?? (values.quick ? '100000' : '1000000'), 1000, 100_000_000),
    clients: whole('clients', values.clients, 1, 64),
    repeat: whole('repeat', values.repeat, 1, 20),
    cases: keys.length > 0 ? onlineCases.filter((c) => keys.includes(c.key)) : onlineCases,
    // The expand / contract rows (issue #12), run after the others.
    phased: keys.length > 0 ? phasedCases.filter((c) => keys.includes(c.key)) : phasedCases,
    url,
    jamDbBin: values['jam-db'],
  };
}

type Options = ReturnType<typeof readOptions>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The tables migrated by `jam-db migrate` (so both trackers record 0000), filled, vacuumed. */
async function prepareTemplate(options: Options, databases: ScratchDatabases, workDir: string) {
  const url = await databases.create();
  const folder = join(workDir, 'base');
  writeMigrationFolder(folder, []);
  const { DATABASE_URL, ...env } = process.env;
  const run = await spawnCommand(
    process.execPath,
    [options.jamDbBin, 'migrate', '--migrations', folder],
    { env: { ...env, DATABASE_URL: url } },
  );
  if (run.code !== 0) throw new Error(`jam-db migrate of ${baseTag} failed:\n${run.stderr}`);
  const client = new pg.Client({ connectionString: url, application_name: 'jam-bench-fill' });
  await client.connect();
  try {
    for (const sql of fillSql(options.rows)) await client.query(sql);
    await client.query('VACUUM ANALYZE');
  } finally {
    await client.end();
  }
  return url;
}

async function runContender(
  contender: ContenderName,
  position: number,
  onlineCase: OnlineCase,
  context: { options: Options; databases: ScratchDatabases; template: string; workDir: string },
): Promise<RunResult> {
  const { options, databases } = context;
  const url = await databases.create(context.template);
  try {
    const folder = mkdtempSync(join(context.workDir, `${onlineCase.key}-${contender}-`));
    writeMigrationFolder(folder, onlineCase.pending);
    const change: Change =
      contender === 'plain'
        ? plainChange(url, folder)
        : await jamDbChange(options.jamDbBin, url, folder, onlineCase);

    const load = await WriteLoad.start(url, options.clients, options.rows);
    const loadStart = performance.now();
    let reader: Promise<void> | undefined;
    let timeline: {
      changeStart: number;
      changeEnd: number;
      outcome: Awaited<ReturnType<Change['run']>>;
    };
    try {
      await sleep(beforeMs);
      if (onlineCase.readerHoldsMs) {
        reader = (await holdReader(url, onlineCase.readerHoldsMs)).released;
        await sleep(readerLeadMs);
      }
      const changeStart = performance.now();
      const outcome = await change.run();
      const changeEnd = performance.now();
      await sleep(afterMs);
      timeline = { changeStart, changeEnd, outcome };
    } catch (error) {
      // No write loop may outlive its run.
      await load.stop();
      throw error;
    }
    const { writes, errors } = await load.stop();
    const loadEnd = performance.now();
    await reader;
    const { changeStart, changeEnd, outcome } = timeline;

    const noise = onlineCase.pending.length === 0;
    const wallMs = changeEnd - changeStart;
    // jam-db's own clock narrows the window to the part of its process that talks to the database.
    const workStart = outcome.workMs
      ? Math.max(changeStart, changeEnd - outcome.workMs)
      : changeStart;
    return {
      contender,
      position,
      changeMs: outcome.workMs ?? wallMs,
      wallMs,
      during: noise
        ? windowStats(writes, loadStart, loadEnd)
        : windowStats(writes, workStart, changeEnd),
      before: windowStats(writes, loadStart, loadStart + beforeMs),
      writes: writes.length,
      failedWrites: writes.filter((write) => write.failed).length,
      ...(outcome.failure ? { failure: outcome.failure } : {}),
      retries: outcome.retries ?? 0,
      notes: [
        ...change.notes,
        ...outcome.notes,
        ...[...errors].map(([message, count]) => `${count}× write error: ${message}`),
      ],
      schema: await schemaLines(url),
    };
  } finally {
    await databases.drop(url);
  }
}

async function runCase(
  onlineCase: OnlineCase,
  plainFirst: boolean,
  context: Parameters<typeof runContender>[3],
): Promise<CaseResult['runs'][number]> {
  const order: ContenderName[] = plainFirst ? ['plain', 'jam-db'] : ['jam-db', 'plain'];
  const results: RunResult[] = [];
  for (const [index, contender] of order.entries()) {
    const result = await runContender(contender, index + 1, onlineCase, context);
    console.log(
      `  ${contender.padEnd(6)} max stall ${seconds(result.during.maxMs)}, p99 ${seconds(result.during.p99Ms)}, ` +
        `change ${seconds(result.changeMs)}${result.failure ? ` FAILED: ${result.failure}` : ''}`,
    );
    results.push(result);
  }
  return {
    plain: results.find((run) => run.contender === 'plain')!,
    jamDb: results.find((run) => run.contender === 'jam-db')!,
  };
}

const loadLine = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' / ');

function jamDbRevision(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot })
      .toString()
      .trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'packages/db/src'], {
      cwd: repoRoot,
    }).toString();
    return dirty.trim() ? `${head} with uncommitted changes in packages/db/src` : head;
  } catch {
    return 'unknown revision';
  }
}

function report(
  options: Options,
  results: CaseResult[],
  machine: { serverVersion: string; loadBefore: string; loadAfter: string; tookMs: number },
) {
  return [
    '# Write stalls during schema changes: plain DDL vs jam-db',
    '',
    `Run ${new Date().toISOString()} on ${type()} ${release()}, ${cpus().length} CPU(s) ` +
      `(${cpus()[0]?.model ?? 'unknown'}), load average (1/5/15 min) ${machine.loadBefore} before and ` +
      `${machine.loadAfter} after, Node ${process.version}, PostgreSQL ${machine.serverVersion}, ` +
      `jam-db at ${jamDbRevision()}; ${options.rows.toLocaleString('en')} rows, ${options.clients} clients, ` +
      `median of ${options.repeat} run(s) per contender; the bench took ${seconds(machine.tookMs)}. ` +
      'The machine is shared with other jobs: read the shape, not the digits.',
    '',
    `Each run gets its own copy of one template database (the hot table filled with generate_series, ` +
      `vacuumed and analysed). ${options.clients} clients, each on its own connection, alternate ` +
      'single-row `UPDATE … WHERE id = <random>` and `INSERT` in closed loops for 1 s, then the change ' +
      'runs, then 1 s more. *Max stall* is the longest single write that overlapped the change, *p99* ' +
      'the 99th percentile of those writes, *duration* the change from start to end: the migrate() call ' +
      'for plain, for jam-db the time `jam-db migrate` reports (from before it connects to the end; ' +
      'the Node start-up before it, in *wall time* below, holds no lock and is left out of the window). ' +
      "*plain*: the statements drizzle-kit 0.31 writes, applied by drizzle-orm's migrator (every pending " +
      'migration in one transaction on one connection). *jam-db*: the same files after `jam-db lint --fix`, ' +
      'applied by `jam-db migrate` with its defaults as a child process. The two run one after the other, in an order that alternates from case to case. ' +
      '*Schema equal*: `pg_dump --schema-only` of both databases (the drizzle schema left out) has the same lines. ' +
      '`pnpm --filter @jam/bench bench:online` reproduces it.',
    '',
    resultsTable(results),
    '',
    'For the noise floor the figures cover every write of the run (2 s and the migrate call with ' +
      "nothing pending; jam-db's includes starting `jam-db migrate` beside the load).",
    '',
    goalLine(results),
    '',
    '## Notes per change',
    '',
    caseNotes(results) || '(none)',
    '',
    '## Every run',
    '',
    everyRunTable(results),
    '',
  ].join('\n');
}

async function main() {
  const options = readOptions();
  const started = performance.now();
  const loadBefore = loadLine();
  const databases = new ScratchDatabases(options.url);
  const workDir = mkdtempSync(join(tmpdir(), 'jam-bench-online-'));
  let cleaning: Promise<void> | undefined;
  const cleanUp = () => {
    cleaning ??= databases
      .close()
      .catch(() => {})
      .finally(() => rmSync(workDir, { recursive: true, force: true }));
    return cleaning;
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: dropping the bench's databases…`);
      void cleanUp().finally(() => process.exit(130));
    });
  }
  try {
    const serverVersion = await databases.open();
    let onlineReport: string | null = null;
    if (options.cases.length > 0) {
      console.log(
        `Filling ${options.rows.toLocaleString('en')} rows into a template on ${withoutPasswords(options.url)}…`,
      );
      const template = await prepareTemplate(options, databases, workDir);
      const context = { options, databases, template, workDir };
      const results: CaseResult[] = options.cases.map((onlineCase) => ({ onlineCase, runs: [] }));
      for (let repeat = 0; repeat < options.repeat; repeat++) {
        for (const [index, result] of results.entries()) {
          console.log(`${result.onlineCase.key} (run ${repeat + 1} of ${options.repeat})`);
          result.runs.push(await runCase(result.onlineCase, (index + repeat) % 2 === 0, context));
        }
      }
      const text = report(options, results, {
        serverVersion,
        loadBefore,
        loadAfter: loadLine(),
        tookMs: performance.now() - started,
      });
      onlineReport = text;
      console.log(`\n${resultsTable(results)}\n\n${goalLine(results)}`);
    }
    let section: string | null = null;
    if (options.phased.length > 0) {
      const phasedStarted = performance.now();
      const phased = await runPhasedCases(options, options.phased, databases, workDir);
      section = phasedSection(phased, {
        ...options,
        tookMs: performance.now() - phasedStarted,
        when: new Date().toISOString(),
      });
      console.log(`\n${section}`);
    }
    const previous = existsSync(resultsPath) ? readFileSync(resultsPath, 'utf8') : null;
    writeFileSync(resultsPath, mergeResultsFile(previous, onlineReport, section));
    console.log(`Wrote ${resultsPath}`);
  } finally {
    await cleanUp();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

/**
 * The expand / contract rows of `bench:online` (issue #12): rename, type change and a volatile
 * default on the hot table, plain DDL in one transaction against `jam-db lint --fix` +
 * `jam-db migrate` (expand and backfill) + `jam-db migrate --contract`, under eight writers
 * that remember what they wrote. `online-bench.ts` runs it after its own cases.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { ScratchDatabases } from './databases.js';
import { plainChange } from './online-contenders.js';
import { type WindowStats, windowStats } from './online-load.js';
import { type PhasedCase, phasedFillSql, writePhasedFolder } from './online-phased-cases.js';
import {
  checkLedger,
  clientStates,
  crossReadMismatches,
  Ledger,
  type LedgerCheck,
  TrackedLoad,
  type Version,
} from './online-phased-load.js';
import { seconds } from './online-report.js';
import { schemaDiff, schemaLines } from './online-schema.js';
import { spawnCommand } from './timed-command.js';

export interface PhasedOptions {
  rows: number;
  clients: number;
  url: string;
  jamDbBin: string;
}

const beforeMs = 1000;
const afterMs = 1000;
const bothVersionsMs = 3000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** jam-db's environment: only the database we name, default settings (contracts held back). */
function jamDbEnv(url: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: url };
  for (const name of [
    'JAM_DB_DRIVER',
    'NEON_WS_PROXY',
    'JAM_DB_LOCK_TIMEOUT',
    'JAM_DB_APPLY_CONTRACT',
    'PGDATABASE',
  ]) {
    delete env[name];
  }
  return env;
}

interface Window {
  stats: WindowStats;
  ms: number;
  failure?: string;
}

/** Runs `change` under a load of `versions`, one second before and after; the stall window. */
async function underLoad(
  url: string,
  options: PhasedOptions,
  load: { versions: Version[]; ledger: Ledger; states: ReturnType<typeof clientStates> },
  change: () => Promise<{ workMs?: number; failure?: string }>,
  errors: Map<string, number>,
): Promise<Window> {
  const writers = await TrackedLoad.start(url, { rows: options.rows, ...load });
  let outcome: { workMs?: number; failure?: string };
  let changeStart: number;
  let changeEnd: number;
  try {
    await sleep(beforeMs);
    changeStart = performance.now();
    outcome = await change();
    changeEnd = performance.now();
    await sleep(afterMs);
  } finally {
    await writers.stop();
  }
  for (const [message, count] of writers.errors)
    errors.set(message, (errors.get(message) ?? 0) + count);
  // jam-db's own clock leaves the child's Node start-up (no locks held) out of the window.
  const from = outcome.workMs ? Math.max(changeStart, changeEnd - outcome.workMs) : changeStart;
  return {
    stats: windowStats(writers.writes, from, changeEnd),
    ms: outcome.workMs ?? changeEnd - changeStart,
    ...(outcome.failure ? { failure: outcome.failure } : {}),
  };
}

function jamDbMigrate(
  options: PhasedOptions,
  url: string,
  folder: string,
  contract: boolean,
  notes: string[],
) {
  return async () => {
    const args = [options.jamDbBin, 'migrate', '--migrations', folder];
    if (contract) args.push('--contract');
    const run = await spawnCommand(process.execPath, args, {
      env: jamDbEnv(url),
      timeoutMs: 30 * 60_000,
    });
    const applied = /Applied \d+ migration\(s\) in ([\d.]+) (ms|s)\./.exec(run.stdout);
    const workMs = applied ? Number(applied[1]) * (applied[2] === 's' ? 1000 : 1) : undefined;
    const output = `${run.stdout}\n${run.stderr}`.split('\n');
    const retries = output.filter((line) => /trying again/i.test(line)).length;
    const phase = contract ? '`migrate --contract`' : '`migrate`';
    for (const line of output.filter((l) => /^\s*(backfilled|ran) /.test(l))) {
      notes.push(`${phase}: ${line.trim()}`);
    }
    if (retries > 0) notes.push(`${phase} retried after lock_timeout ${retries} time(s)`);
    if (run.code === 0) return workMs ? { workMs } : {};
    const text = (run.stderr || run.stdout).trim().split('\n')[0] ?? '(no output)';
    return { failure: `exit ${run.code}: ${text.replaceAll(`${folder}/`, '')}` };
  };
}

/** Whether `lint --fix` wrote the phased form: an expand and its contract, or a batched backfill. */
function phasedFiles(folder: string, phasedCase: PhasedCase): string | null {
  const expand = readFileSync(join(folder, `0001_${phasedCase.name}.sql`), 'utf8');
  if (phasedCase.oneMigration) {
    return /-- jam-db:backfill /.test(expand) ? null : 'no batched backfill in the migration';
  }
  if (!/^-- jam-db:phase expand$/m.test(expand)) return 'no `-- jam-db:phase expand` line';
  const contract = readdirSync(folder).find((name) => /^0002_.*_contract\.sql$/.test(name));
  if (!contract) return 'no contract migration written';
  const text = readFileSync(join(folder, contract), 'utf8');
  return /^-- jam-db:phase contract 0001_/m.test(text) ? null : 'contract without its phase line';
}

export interface PhasedResult {
  phasedCase: PhasedCase;
  plain: Window;
  plainCheck: LedgerCheck;
  expand?: Window;
  contract?: Window;
  check?: LedgerCheck;
  bothVersions?: { errors: number; ops: number; crossRead: string };
  schemaEqual: boolean;
  notes: string[];
}

/**
 * Schema lines without their trailing comma: the expand adds the new column at the end of the
 * table, so column order (not a schema fact) is the one thing allowed to differ.
 */
const comparable = (lines: string[]): string[] =>
  lines.map((line) => line.replace(/,$/, '')).sort();

const neutral: Version = { name: 'neutral', column: null };

async function runPlain(
  options: PhasedOptions,
  url: string,
  folder: string,
  phasedCase: PhasedCase,
) {
  writePhasedFolder(folder, phasedCase);
  const ledger = new Ledger();
  const errors = new Map<string, number>();
  const states = clientStates(options.clients, options.rows);
  const window = await underLoad(
    url,
    options,
    { versions: [neutral], ledger, states },
    async () => {
      const outcome = await plainChange(url, folder).run();
      return outcome.failure ? { failure: outcome.failure } : {};
    },
    errors,
  );
  const check = await checkLedger(url, ledger, options.rows, null);
  return { window, check, errors, schema: await schemaLines(url) };
}

async function runJamDb(
  options: PhasedOptions,
  url: string,
  folder: string,
  phasedCase: PhasedCase,
) {
  writePhasedFolder(folder, phasedCase);
  const notes: string[] = [];
  const lint = await spawnCommand(
    process.execPath,
    [options.jamDbBin, 'lint', '--fix', '--migrations', folder],
    { env: jamDbEnv(url), timeoutMs: 120_000 },
  );
  const notPhased = phasedFiles(folder, phasedCase);
  if (notPhased) notes.push(`\`lint --fix\` (exit ${lint.code}) did not phase it: ${notPhased}`);
  const ledger = new Ledger();
  const errors = new Map<string, number>();
  const states = clientStates(options.clients, options.rows);
  const columns = phasedCase.columns;
  const oldCode: Version = columns ? { name: 'old', column: columns.old } : neutral;
  const newCode: Version = columns ? { name: 'new', column: columns.new } : neutral;
  const expand = await underLoad(
    url,
    options,
    { versions: [oldCode], ledger, states },
    jamDbMigrate(options, url, folder, false, notes),
    errors,
  );
  let bothVersions: PhasedResult['bothVersions'];
  let contract: Window | undefined;
  if (columns && !expand.failure) {
    const both = await TrackedLoad.start(url, {
      rows: options.rows,
      versions: [oldCode, newCode],
      ledger,
      states,
      read: true,
    });
    await sleep(bothVersionsMs);
    await both.stop();
    const cross = await crossReadMismatches(url, ledger, columns.old, columns.twin);
    const failed = [...both.errors.values()].reduce((sum, count) => sum + count, 0);
    for (const [message, count] of both.errors) notes.push(`old+new clients: ${count}× ${message}`);
    bothVersions = {
      errors: failed,
      ops: both.writes.length,
      crossRead: cross
        .map((c) => `${c.version} code wrote ${c.rows}, ${c.mismatches} differ`)
        .join('; '),
    };
  }
  if (!phasedCase.oneMigration && !expand.failure) {
    contract = await underLoad(
      url,
      options,
      { versions: [newCode], ledger, states },
      jamDbMigrate(options, url, folder, true, notes),
      errors,
    );
  }
  for (const [message, count] of errors)
    notes.push(`jam-db run: ${count}× write error: ${message}`);
  const check = await checkLedger(url, ledger, options.rows, columns?.final ?? null);
  return {
    expand,
    ...(contract ? { contract } : {}),
    ...(bothVersions ? { bothVersions } : {}),
    check,
    notes,
    schema: await schemaLines(url),
  };
}

async function prepareTemplate(
  options: PhasedOptions,
  databases: ScratchDatabases,
  workDir: string,
) {
  const url = await databases.create();
  const folder = join(workDir, 'phased-base');
  writePhasedFolder(folder);
  const run = await spawnCommand(
    process.execPath,
    [options.jamDbBin, 'migrate', '--migrations', folder],
    { env: jamDbEnv(url) },
  );
  if (run.code !== 0)
    throw new Error(`jam-db migrate of the phased template failed:\n${run.stderr}`);
  const client = new pg.Client({ connectionString: url, application_name: 'jam-bench-fill' });
  await client.connect();
  try {
    for (const sql of phasedFillSql(options.rows)) await client.query(sql);
    await client.query('VACUUM ANALYZE');
  } finally {
    await client.end();
  }
  return url;
}

/** Runs every case, plain first then jam-db, each on its own copy of a template database. */
export async function runPhasedCases(
  options: PhasedOptions,
  cases: PhasedCase[],
  databases: ScratchDatabases,
  workDir: string,
): Promise<PhasedResult[]> {
  console.log(
    `Expand / contract: filling ${options.rows.toLocaleString('en')} rows into a template…`,
  );
  const template = await prepareTemplate(options, databases, workDir);
  const results: PhasedResult[] = [];
  for (const phasedCase of cases) {
    console.log(`${phasedCase.key} (expand / contract)`);
    const plainUrl = await databases.create(template);
    let plain: Awaited<ReturnType<typeof runPlain>>;
    try {
      plain = await runPlain(
        options,
        plainUrl,
        mkdtempSync(join(workDir, `${phasedCase.key}-plain-`)),
        phasedCase,
      );
    } finally {
      await databases.drop(plainUrl);
    }
    console.log(
      `  plain  max stall ${seconds(plain.window.stats.maxMs)}, change ${seconds(plain.window.ms)}`,
    );
    const jamUrl = await databases.create(template);
    let jam: Awaited<ReturnType<typeof runJamDb>>;
    try {
      jam = await runJamDb(
        options,
        jamUrl,
        mkdtempSync(join(workDir, `${phasedCase.key}-jam-`)),
        phasedCase,
      );
    } finally {
      await databases.drop(jamUrl);
    }
    console.log(
      `  jam-db expand max stall ${seconds(jam.expand.stats.maxMs)} (${seconds(jam.expand.ms)})` +
        (jam.contract
          ? `, contract ${seconds(jam.contract.stats.maxMs)} (${seconds(jam.contract.ms)})`
          : '') +
        `, lost ${jam.check.lost} / doubled ${jam.check.doubled}`,
    );
    const diff = schemaDiff(comparable(plain.schema), comparable(jam.schema));
    const notes = [...jam.notes];
    if (plain.window.failure) notes.push(`plain failed: ${plain.window.failure}`);
    for (const window of [jam.expand, jam.contract]) {
      if (window?.failure) notes.push(`jam-db failed: ${window.failure}`);
    }
    if (diff.length > 0)
      notes.push(`schema diff (- plain, + jam-db): ${diff.map((l) => `\`${l}\``).join('; ')}`);
    if (jam.bothVersions)
      notes.push(
        `old+new clients, rows read back through the other name: ${jam.bothVersions.crossRead}`,
      );
    results.push({
      phasedCase,
      plain: plain.window,
      plainCheck: plain.check,
      expand: jam.expand,
      ...(jam.contract ? { contract: jam.contract } : {}),
      check: jam.check,
      ...(jam.bothVersions ? { bothVersions: jam.bothVersions } : {}),
      schemaEqual: comparable(plain.schema).join('\n') === comparable(jam.schema).join('\n'),
      notes,
    });
  }
  return results;
}

export { mergeResultsFile, phasedSection } from './online-phased-report.js';

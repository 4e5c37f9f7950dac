import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import {
  exactShare,
  notExactLines,
  type RoundTrips,
  readGenerateDown,
  readVerify,
} from './corpus-round-trips.js';
import { ScratchDatabases } from './databases.js';
import { benchDir, corporaDir, repoRoot, workspaceJamDbBin } from './paths.js';
import { type CommandRun, spawnCommand, withoutPasswords } from './timed-command.js';

const jamDbBin = workspaceJamDbBin;
const resultsPath = join(benchDir, 'CORPORA.md');

const { values: options } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    'postgres-url': {
      type: 'string',
      default: process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    },
    corpus: { type: 'string', multiple: true },
    // The earlier name of --corpus.
    only: { type: 'string', multiple: true },
  },
});
const chosenCorpora = [...(options.corpus ?? []), ...(options.only ?? [])];
const adminUrl = options['postgres-url'];

/** What the MANIFEST says each corpus needs before it applies on a bare database. */
const prerequisites: Record<string, { extensions?: string[]; trackingTable?: boolean }> = {
  // 0000 uses gin_trgm_ops but never creates pg_trgm.
  autumn: { extensions: ['pg_trgm'] },
  // 0020 deletes from drizzle.__drizzle_migrations; drizzle's migrator would have created it.
  'claude-code-hub': { trackingTable: true },
};

const trackingTableSql =
  'CREATE SCHEMA IF NOT EXISTS drizzle; CREATE TABLE IF NOT EXISTS drizzle.__drizzle_migrations (id serial PRIMARY KEY, hash text NOT NULL, created_at bigint);';

type Run = CommandRun;

const commandTimeoutMs = 5 * 60_000;
/** verify runs every migration up, down and up again: on a loaded machine a big history takes minutes. */
const verifyTimeoutMs = 30 * 60_000;

/** Runs a command in a clean environment; a failed exit is a result, not a rejection. */
async function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  timeoutMs = commandTimeoutMs,
): Promise<Run> {
  const result = await spawnCommand(command, args, {
    env: { ...cleanEnv(), ...env },
    cwd: repoRoot,
    timeoutMs,
  });
  return {
    ...result,
    stderr: result.signal
      ? `killed by ${result.signal} after ${Math.round(timeoutMs / 1000)} s\n${result.stderr}`
      : result.stderr,
  };
}

function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['DATABASE_URL', 'JAM_DB_DRIVER', 'NEON_WS_PROXY', 'PGDATABASE']) {
    delete env[name];
  }
  return env;
}

const firstLine = (text: string): string =>
  text
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line.length > 0) ?? '(no output)';

/**
 * The error jam-db reported (the JSON document's message under --json, else stderr): its
 * first line, plus the database's own words when the first line only names the statement.
 */
function jamDbError(result: Run): string {
  let message = result.stderr || result.stdout;
  try {
    const doc = JSON.parse(result.stdout) as { error?: { message?: string } };
    if (doc.error?.message) message = doc.error.message;
  } catch {
    // Not JSON: stderr it is.
  }
  const said = message.split('\n').find((line) => line.startsWith('The database said:'));
  const first = shortPaths(firstLine(message));
  return said ? `${first} ${said}` : first;
}

/** Paths inside the corpora, or inside the bench's copies of them, shown from the corpus name on. */
const shortPaths = (text: string): string =>
  text.replaceAll(`${corporaDir}/`, '').replace(/\S*\/copy-([\w-]+?)-[A-Za-z0-9]{6}\//g, '$1/');

/** SQL without `--` line comments and block comments (string literals are not special-cased). */
const withoutComments = (sql: string): string =>
  sql.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/--[^\n]*/g, ' ');

interface Corpus {
  name: string;
  dir: string;
  files: string[];
}

function readCorpus(name: string): Corpus {
  const dir = join(corporaDir, name);
  const journal = JSON.parse(readFileSync(join(dir, 'meta', '_journal.json'), 'utf8')) as {
    entries: { idx: number; tag: string }[];
  };
  const files = [...journal.entries]
    .sort((a, b) => a.idx - b.idx)
    .map((entry) => join(dir, `${entry.tag}.sql`));
  return { name, dir, files };
}

/** Extensions the history creates itself, plus those the MANIFEST says to create first. */
function neededExtensions(corpus: Corpus): string[] {
  const names = new Set(prerequisites[corpus.name]?.extensions ?? []);
  for (const file of corpus.files) {
    const sql = withoutComments(readFileSync(file, 'utf8'));
    for (const match of sql.matchAll(
      /create\s+extension\s+(?:if\s+not\s+exists\s+)?"?([\w-]+)"?/gi,
    )) {
      names.add(match[1]!);
    }
  }
  return [...names];
}

interface Row {
  corpus: string;
  migrations: number;
  skipped?: string;
  jamOk?: boolean;
  jamError?: string;
  schemaEqual?: boolean;
  schemaDiff?: string[];
  schemaLines?: number;
  jamMs?: number;
  psqlMs?: number;
  psqlError?: string;
  pgliteOk: boolean;
  pgliteError?: string;
  pgliteMs: number;
  lintErrors?: number;
  lintWarnings?: number;
  lintError?: string;
  roundTrips?: RoundTrips;
  /** A phase that threw: the corpus is reported with what was measured before it. */
  failures: string[];
  notes: string[];
}

class CorporaBench {
  private readonly admin = new pg.Client({
    connectionString: adminUrl,
    application_name: 'jam-bench',
  });
  private available = new Set<string>();
  private rolesBefore = new Set<string>();

  constructor(
    private readonly databases: ScratchDatabases,
    private readonly workDir: string,
  ) {}

  async open(): Promise<void> {
    await this.admin.connect();
    const extensions = await this.admin.query<{ name: string }>(
      'select name from pg_available_extensions',
    );
    this.available = new Set(extensions.rows.map((r) => r.name));
    this.rolesBefore = await this.roles();
  }

  async close(): Promise<void> {
    await this.admin.end();
  }

  private async roles(): Promise<Set<string>> {
    const rows = await this.admin.query<{ rolname: string }>('select rolname from pg_roles');
    return new Set(rows.rows.map((r) => r.rolname));
  }

  /**
   * Roles the corpus's history created (tambo's are cluster-wide): new since the
   * bench began and named in its SQL, so roles of other runs on the same server
   * are left alone. A role still in use elsewhere stays.
   */
  async dropNewRoles(corpus: Corpus): Promise<string[]> {
    const sql = corpus.files
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n')
      .toLowerCase();
    const dropped: string[] = [];
    for (const name of await this.roles()) {
      if (this.rolesBefore.has(name) || !sql.includes(name.toLowerCase())) continue;
      await this.admin.query(`DROP ROLE IF EXISTS "${name.replaceAll('"', '""')}"`).then(
        () => dropped.push(name),
        () => undefined,
      );
    }
    return dropped;
  }

  async measure(corpus: Corpus): Promise<Row> {
    const row: Row = {
      corpus: corpus.name,
      migrations: corpus.files.length,
      pgliteOk: false,
      pgliteMs: 0,
      failures: [],
      notes: [],
    };
    const missing = neededExtensions(corpus).filter((name) => !this.available.has(name));
    const phase = async (name: string, work: () => Promise<void>) => {
      try {
        await work();
      } catch (error) {
        row.failures.push(`${name}: ${firstLine(String((error as Error)?.message ?? error))}`);
      }
    };
    if (missing.length > 0) {
      row.skipped = `extension ${missing.join(', ')} not available on the server`;
    } else {
      await phase('PostgreSQL', () => this.postgres(corpus, row));
    }
    const copy = this.preparedCopy(corpus);
    try {
      await phase('PGlite', () => this.pglite(copy, row));
      await phase('lint', () => this.lint(corpus, row));
      await phase('round trips', () => this.roundTrips(corpus, copy, row, missing.length === 0));
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
    return row;
  }

  /**
   * A copy of the corpus in the work folder, for the commands that need the
   * MANIFEST's prerequisites inside the history itself (PGlite and verify start
   * from an empty database of their own) or write into the folder
   * (generate-down): the extensions the MANIFEST names are created at the top of
   * the first migration.
   */
  private preparedCopy(corpus: Corpus): string {
    const copy = mkdtempSync(join(this.workDir, `copy-${corpus.name}-`));
    cpSync(corpus.dir, copy, { recursive: true });
    const extensions = prerequisites[corpus.name]?.extensions ?? [];
    const first = corpus.files[0];
    if (extensions.length > 0 && first) {
      const path = join(copy, first.slice(corpus.dir.length + 1));
      const create = extensions
        .map((name) => `CREATE EXTENSION IF NOT EXISTS "${name}";\n--> statement-breakpoint\n`)
        .join('');
      writeFileSync(path, create + readFileSync(path, 'utf8'));
    }
    return copy;
  }

  /** generate-down into the copy, then verify it: on PostgreSQL when the server has what it needs. */
  private async roundTrips(
    corpus: Corpus,
    copy: string,
    row: Row,
    onServer: boolean,
  ): Promise<void> {
    const trips: RoundTrips = { engine: onServer ? 'PostgreSQL' : 'PGlite', notExact: [] };
    row.roundTrips = trips;
    const generated = await run(process.execPath, [
      jamDbBin,
      'generate-down',
      '--migrations',
      copy,
      '--json',
    ]);
    trips.generateDownMs = generated.ms;
    try {
      readGenerateDown(generated.stdout, trips);
    } catch {
      trips.generateDownError = `exit ${generated.code}: ${jamDbError(generated)}`;
      return;
    }
    const verified = await run(
      process.execPath,
      [jamDbBin, 'verify', '--migrations', copy, '--json'],
      { DATABASE_URL: onServer ? adminUrl : 'pglite:memory' },
      verifyTimeoutMs,
    );
    trips.verifyMs = verified.ms;
    try {
      readVerify(verified.stdout, trips);
    } catch {
      trips.verifyError = `exit ${verified.code}: ${jamDbError(verified)}`;
    }
    if (onServer) await this.cleanAfterVerify(corpus, verified.pid, row);
  }

  /** verify drops its scratch databases; a killed one cannot, and roles outlive databases. */
  private async cleanAfterVerify(corpus: Corpus, pid: number | undefined, row: Row): Promise<void> {
    if (pid !== undefined) {
      const left = await this.admin.query<{ datname: string }>(
        'select datname from pg_database where datname like $1',
        [`jam_verify_r${pid}_%`],
      );
      for (const { datname } of left.rows) {
        await this.admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      }
    }
    const roles = await this.dropNewRoles(corpus);
    if (roles.length > 0) row.notes.push(`verify created roles ${roles.join(', ')} (dropped)`);
  }

  private async postgres(corpus: Corpus, row: Row): Promise<void> {
    const prereq = prerequisites[corpus.name] ?? {};
    const extensionSql = (prereq.extensions ?? [])
      .map((name) => `CREATE EXTENSION IF NOT EXISTS "${name}";`)
      .join(' ');

    // Reference: psql, one transaction per file except where CONCURRENTLY needs none.
    let reference: string | undefined;
    const refUrl = await this.databases.create();
    try {
      const setup = extensionSql + (prereq.trackingTable ? trackingTableSql : '');
      if (setup) await this.psqlCommand(refUrl, setup);
      let ms = 0;
      for (const file of corpus.files) {
        const concurrently = /\bconcurrently\b/i.test(withoutComments(readFileSync(file, 'utf8')));
        const args = [
          ...(concurrently ? [] : ['-1']),
          '-q',
          '-X',
          '-v',
          'ON_ERROR_STOP=1',
          '-f',
          file,
          '-d',
          refUrl,
        ];
        const result = await run('psql', args);
        ms += result.ms;
        if (result.code !== 0) {
          row.psqlError = `${file.split('/').pop()}: ${firstLine(result.stderr)}`;
          break;
        }
      }
      row.psqlMs = ms;
      if (!row.psqlError) reference = await this.dump(refUrl);
    } finally {
      await this.databases.drop(refUrl);
      const roles = await this.dropNewRoles(corpus);
      if (roles.length > 0)
        row.notes.push(`psql reference created roles ${roles.join(', ')} (dropped)`);
    }

    // jam-db on PostgreSQL, with the same extensions but its own tracking table.
    const jamUrl = await this.databases.create();
    try {
      if (extensionSql) await this.psqlCommand(jamUrl, extensionSql);
      const result = await run(
        process.execPath,
        [jamDbBin, 'migrate', '--migrations', corpus.dir, '--json'],
        {
          DATABASE_URL: jamUrl,
        },
      );
      row.jamMs = result.ms;
      row.jamOk = result.code === 0;
      if (!row.jamOk) row.jamError = `exit ${result.code}: ${jamDbError(result)}`;
      else {
        const applied = (JSON.parse(result.stdout) as { applied?: unknown[] }).applied?.length;
        if (applied !== corpus.files.length) {
          row.notes.push(`jam-db applied ${applied} of ${corpus.files.length} migrations`);
        }
      }
      if (reference !== undefined) {
        const mine = await this.dump(jamUrl);
        row.schemaEqual = mine === reference;
        row.schemaLines = reference
          .split('\n')
          .filter((line) => line && !line.startsWith('--')).length;
        if (!row.schemaEqual) row.schemaDiff = firstDifferences(reference, mine);
      }
    } finally {
      await this.databases.drop(jamUrl);
      const roles = await this.dropNewRoles(corpus);
      if (roles.length > 0)
        row.notes.push(`jam-db run created roles ${roles.join(', ')} (dropped)`);
    }
  }

  private async pglite(copy: string, row: Row): Promise<void> {
    const dir = mkdtempSync(join(this.workDir, `pglite-${row.corpus}-`));
    try {
      const result = await run(
        process.execPath,
        [jamDbBin, 'migrate', '--migrations', copy, '--json'],
        {
          DATABASE_URL: `pglite:${dir}`,
        },
      );
      row.pgliteMs = result.ms;
      row.pgliteOk = result.code === 0;
      if (!row.pgliteOk) row.pgliteError = jamDbError(result);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  private async lint(corpus: Corpus, row: Row): Promise<void> {
    const result = await run(process.execPath, [
      jamDbBin,
      'lint',
      '--migrations',
      corpus.dir,
      '--json',
    ]);
    try {
      const doc = JSON.parse(result.stdout) as {
        migrations?: { findings: { severity: string }[] }[];
      };
      if (!doc.migrations) throw new Error('no migrations in the output');
      const findings = doc.migrations.flatMap((m) => m.findings);
      row.lintErrors = findings.filter((f) => f.severity === 'error').length;
      row.lintWarnings = findings.filter((f) => f.severity === 'warning').length;
    } catch {
      row.lintError = `exit ${result.code}: ${jamDbError(result)}`;
    }
  }

  private async psqlCommand(url: string, sql: string): Promise<void> {
    const result = await run('psql', ['-q', '-X', '-v', 'ON_ERROR_STOP=1', '-c', sql, '-d', url]);
    if (result.code !== 0) throw new Error(`psql -c ${sql}: ${firstLine(result.stderr)}`);
  }

  /** The schema as pg_dump prints it, without the drizzle schema and the per-run \restrict key. */
  private async dump(url: string): Promise<string> {
    const result = await run('pg_dump', [
      '--schema-only',
      '--no-owner',
      '--no-privileges',
      '-N',
      'drizzle',
      '-d',
      url,
    ]);
    if (result.code !== 0)
      throw new Error(`pg_dump ${withoutPasswords(url)}: ${firstLine(result.stderr)}`);
    return result.stdout
      .split('\n')
      .filter((line) => !/^\\(un)?restrict\b/.test(line))
      .join('\n');
  }
}

/** The first lines from where two dumps part, reference (-) against jam-db (+). */
function firstDifferences(reference: string, mine: string, context = 6): string[] {
  const a = reference.split('\n');
  const b = mine.split('\n');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return [
    `first difference at line ${i + 1}:`,
    ...a.slice(i, i + context).map((line) => `- ${line}`),
    ...b.slice(i, i + context).map((line) => `+ ${line}`),
  ];
}

const seconds = (ms: number | undefined): string =>
  ms === undefined ? '–' : `${(ms / 1000).toFixed(1)} s`;
const yesNo = (value: boolean | undefined): string =>
  value === undefined ? '–' : value ? 'yes' : 'no';
const cell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

function table(rows: Row[]): string {
  const lines = [
    '| corpus | migrations | PostgreSQL: jam-db migrate ok | schema equal to psql reference | jam-db time | psql time | ratio | PGlite migrate ok | PGlite time | lint errors / warnings |',
    '|---|---:|---|---|---:|---:|---:|---|---:|---:|',
  ];
  for (const r of rows) {
    const pglite = r.pgliteOk ? 'yes' : `no: ${cell(r.pgliteError ?? '')}`;
    const lint =
      r.lintErrors === undefined
        ? `failed: ${cell(r.lintError ?? 'not run')}`
        : `${r.lintErrors} / ${r.lintWarnings}`;
    const pgliteTime = seconds(r.pgliteMs || undefined);
    if (r.skipped) {
      lines.push(
        `| ${r.corpus} | ${r.migrations} | skipped: ${r.skipped} | – | – | – | – | ${pglite} | ${pgliteTime} | ${lint} |`,
      );
      continue;
    }
    const ratio =
      r.jamMs !== undefined && r.psqlMs !== undefined && !r.psqlError
        ? `${(r.jamMs / r.psqlMs).toFixed(2)}×`
        : '–';
    const jam = r.jamOk === undefined ? '–' : r.jamOk ? 'yes' : `no (${cell(r.jamError ?? '')})`;
    const equal = r.psqlError ? `– (reference failed: ${cell(r.psqlError)})` : yesNo(r.schemaEqual);
    lines.push(
      `| ${r.corpus} | ${r.migrations} | ${jam} | ${equal} | ${seconds(r.jamMs)} | ${seconds(r.psqlMs)} | ${ratio} | ${pglite} | ${pgliteTime} | ${lint} |`,
    );
  }
  return lines.join('\n');
}

function roundTripsTable(rows: Row[]): string {
  const lines = [
    '| corpus | migrations | verify on | exact | manual | wrong | not checked | exact share | down scripts written (manual) | generate-down time | verify time | verify time per migration |',
    '|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const total = { migrations: 0, exact: 0, manual: 0, wrong: 0, unchecked: 0, verifyMs: 0 };
  for (const r of rows) {
    const t = r.roundTrips;
    if (!t) {
      lines.push(`| ${r.corpus} | ${r.migrations} | not run | – | – | – | – | – | – | – | – | – |`);
      continue;
    }
    const written =
      t.downScripts === undefined
        ? `failed: ${cell(t.generateDownError ?? '')}`
        : `${t.downScripts} (${t.manualWritten})`;
    if (t.exact === undefined) {
      const why = t.verifyError ? `verify failed: ${cell(t.verifyError)}` : 'not run';
      lines.push(
        `| ${r.corpus} | ${r.migrations} | ${t.engine} | ${why} | – | – | – | – | ${written} | ${seconds(t.generateDownMs)} | ${seconds(t.verifyMs)} | – |`,
      );
      continue;
    }
    const checked = t.exact + (t.manual ?? 0) + (t.wrong ?? 0);
    const perMigration = checked > 0 && t.verifyMs ? `${Math.round(t.verifyMs / checked)} ms` : '–';
    const unchecked = t.unchecked ? `${t.unchecked} (after ${t.stoppedAt})` : '0';
    lines.push(
      `| ${r.corpus} | ${r.migrations} | ${t.engine} | ${t.exact} | ${t.manual} | ${t.wrong} | ${unchecked} | ${exactShare(t.exact, r.migrations)} | ${written} | ${seconds(t.generateDownMs)} | ${seconds(t.verifyMs)} | ${perMigration} |`,
    );
    total.migrations += r.migrations;
    total.exact += t.exact;
    total.manual += t.manual ?? 0;
    total.wrong += t.wrong ?? 0;
    total.unchecked += t.unchecked ?? 0;
    total.verifyMs += t.verifyMs ?? 0;
  }
  lines.push(
    `| **all verified** | ${total.migrations} | | ${total.exact} | ${total.manual} | ${total.wrong} | ${total.unchecked} | ${exactShare(total.exact, total.migrations)} | | | ${seconds(total.verifyMs)} | |`,
  );
  return lines.join('\n');
}

function details(rows: Row[]): string {
  const out: string[] = [];
  for (const r of rows) {
    const items = [...r.failures.map((f) => `bench phase failed: ${f}`), ...r.notes];
    if (r.schemaLines !== undefined) items.unshift(`reference dump: ${r.schemaLines} lines of SQL`);
    if (r.schemaDiff)
      items.push(
        `schema differs from the reference:\n\n\`\`\`\n${r.schemaDiff.join('\n')}\n\`\`\``,
      );
    if (items.length > 0) out.push(`- \`${r.corpus}\`: ${items.join('; ')}`);
  }
  return out.length > 0 ? `\n## Details\n\n${out.join('\n')}\n` : '';
}

/** Every migration whose round trip was not exact, per corpus, with its reason. */
function notExactDetails(rows: Row[]): string {
  const out: string[] = [];
  for (const r of rows) {
    if (!r.roundTrips || r.roundTrips.notExact.length === 0) continue;
    out.push(`\n### ${r.corpus}\n`);
    out.push(...notExactLines(r.roundTrips).map((line) => `- ${cell(shortPaths(line))}`));
  }
  return out.length > 0
    ? `\n## Round trips that are not exact\n\nOne line per migration: verdict, reason, and the first differing object or the error.\n${out.join('\n')}\n`
    : '';
}

async function main(): Promise<number> {
  const started = performance.now();
  const names = readdirSync(corporaDir, { withFileTypes: true })
    .filter(
      (entry) =>
        entry.isDirectory() && existsSync(join(corporaDir, entry.name, 'meta', '_journal.json')),
    )
    .map((entry) => entry.name)
    .filter((name) => chosenCorpora.length === 0 || chosenCorpora.includes(name))
    .sort();
  const unknown = chosenCorpora.filter((name) => !names.includes(name));
  if (unknown.length > 0) {
    console.error(
      `No corpus named ${unknown.join(', ')} in ${corporaDir}. Known: ${readdirSync(corporaDir).join(', ')}.`,
    );
    return 2;
  }
  const workDir = mkdtempSync(join(tmpdir(), 'jam-bench-corpora-'));
  const databases = new ScratchDatabases(adminUrl);
  const rows: Row[] = [];
  let postgresVersion = '';
  try {
    postgresVersion = await databases.open();
    const bench = new CorporaBench(databases, workDir);
    await bench.open();
    try {
      for (const name of names) {
        console.log(`${name}…`);
        const corpusStarted = performance.now();
        let row: Row;
        try {
          row = await bench.measure(readCorpus(name));
        } catch (error) {
          // A corpus the bench cannot even read still gets its line, and the others still run.
          row = {
            corpus: name,
            migrations: 0,
            pgliteOk: false,
            pgliteMs: 0,
            failures: [firstLine(String((error as Error)?.message ?? error))],
            notes: [],
          };
        }
        row.notes.push(`measured in ${seconds(performance.now() - corpusStarted)}`);
        console.log(
          `  ${JSON.stringify({ ...row, schemaDiff: undefined, roundTrips: { ...row.roundTrips, notExact: row.roundTrips?.notExact.length } })}`,
        );
        rows.push(row);
      }
    } finally {
      await bench.close();
    }
  } finally {
    await databases.close();
    rmSync(workDir, { recursive: true, force: true });
  }
  const totalMs = performance.now() - started;
  const ran = `Ran ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')} on PostgreSQL ${postgresVersion} (local server), Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, load average ${loadavg()[0]!.toFixed(1)} at the end; whole run ${seconds(totalMs)}${chosenCorpora.length > 0 ? ` (only ${names.join(', ')})` : ''}.`;
  const document = `# jam-db on real drizzle-kit histories

Written by \`pnpm --filter @jam/bench bench:corpora [--corpus <name>]…\` (bench/src/corpora-bench.ts)
from the corpora in \`../shared/corpora\` (see its MANIFEST.md). Times are one wall-clock run each on
a shared machine: rough.

${ran}

## Migrate

Reference: a fresh database, each file applied with \`psql -1 -v ON_ERROR_STOP=1 -f\` in journal
order (files with CONCURRENTLY outside comments without \`-1\`), after the MANIFEST's
prerequisites (\`pg_trgm\` for autumn, a pre-created \`drizzle.__drizzle_migrations\` for
claude-code-hub). jam-db: \`jam-db migrate --json\` on another fresh database (with \`pg_trgm\` for
autumn, nothing else: for claude-code-hub jam-db creates \`drizzle.__drizzle_migrations\` itself
before 0020 deletes from it). Schemas compared as \`pg_dump --schema-only --no-owner
--no-privileges -N drizzle\` (psql time: the sum of one client start per file). PGlite: \`jam-db
migrate\` into a fresh \`pglite:<folder>\`, on a copy of the corpus whose first migration starts
with the MANIFEST's extensions (\`CREATE EXTENSION IF NOT EXISTS "pg_trgm"\` for autumn), since
nothing can be created before jam-db opens the folder. Lint: findings of \`jam-db lint --json\` by
severity.

${table(rows)}

## Round trips

\`jam-db generate-down --json\` into the same prepared copy, then \`jam-db verify --json\` on it:
on PostgreSQL (temporary databases on the server) when the server has every extension the
history needs, else on PGlite (in memory). Verdicts as \`verify\` gives them: exact (up → down →
up gives back both schemas and keeps the rows of untouched tables), manual (the script is marked
\`-- jam-db:manual\`), wrong (a step failed or something differs); "not checked" counts the
migrations after one that does not apply even on a fresh database. Exact share: exact ÷ all
migrations of the corpus. Roles a history creates are dropped after each run.

${roundTripsTable(rows)}
${details(rows)}${notExactDetails(rows)}`;
  writeFileSync(resultsPath, document);
  console.log(
    `\n${table(rows)}\n\n${roundTripsTable(rows)}\n${details(rows)}\n${ran}\nWrote ${resultsPath}`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);

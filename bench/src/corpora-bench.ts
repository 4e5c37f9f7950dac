/**
 * Real drizzle-kit histories (../shared/corpora beside the checkout, never copied into
 * the repository) through `jam-db migrate` on PostgreSQL and PGlite and `jam-db lint`,
 * against a psql reference apply: one transaction per file, CONCURRENTLY files without.
 * Writes CORPORA.md. A measurement, not a test: failures of a corpus are recorded, not thrown.
 *
 *   pnpm --filter @jam/bench bench:corpora [--postgres-url <admin url>] [--only <corpus>]…
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { extensionBundles } from '../../packages/db/src/engines/pglite-extensions.js';
import { ScratchDatabases } from './databases.js';
import { withoutPasswords } from './timed-command.js';

const benchDir = dirname(dirname(fileURLToPath(import.meta.url)));
const repoRoot = dirname(benchDir);
const corporaDir = resolve(repoRoot, '..', 'shared', 'corpora');
const jamDbBin = join(repoRoot, 'packages', 'db', 'bin', 'jam-db.js');
const resultsPath = join(benchDir, 'CORPORA.md');

const { values: options } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    'postgres-url': {
      type: 'string',
      default: process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    },
    only: { type: 'string', multiple: true },
  },
});
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

interface Run {
  code: number | null;
  ms: number;
  stdout: string;
  stderr: string;
}

const commandTimeoutMs = 5 * 60_000;

/** Spawns a command and resolves with its exit code, never rejecting on a failed exit. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(command, args, {
      cwd: repoRoot,
      env: { ...cleanEnv(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: commandTimeoutMs,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', fail);
    child.on('close', (code) => done({ code, ms: performance.now() - started, stdout, stderr }));
  });
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
  const first = firstLine(message).replace(`${corporaDir}/`, '');
  return said ? `${first} ${said}` : first;
}

/**
 * The MANIFEST's extensions, created in a PGlite folder as on the server; jam-db
 * then loads them because the database has them.
 */
async function createInPglite(dir: string, extensions: string[]): Promise<void> {
  if (extensions.length === 0) return;
  const db = await PGlite.create(dir, { extensions: await extensionBundles(extensions) });
  try {
    for (const name of extensions) await db.exec(`CREATE EXTENSION IF NOT EXISTS "${name}"`);
  } finally {
    await db.close();
  }
}

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
    await this.dropNewRoles();
    await this.admin.end();
  }

  private async roles(): Promise<Set<string>> {
    const rows = await this.admin.query<{ rolname: string }>('select rolname from pg_roles');
    return new Set(rows.rows.map((r) => r.rolname));
  }

  /** Roles a history created (tambo's are cluster-wide); existing ones are left alone. */
  async dropNewRoles(): Promise<string[]> {
    const created = [...(await this.roles())].filter((name) => !this.rolesBefore.has(name));
    for (const name of created) {
      await this.admin.query(`DROP ROLE IF EXISTS "${name.replaceAll('"', '""')}"`);
    }
    return created;
  }

  async measure(corpus: Corpus): Promise<Row> {
    const row: Row = {
      corpus: corpus.name,
      migrations: corpus.files.length,
      pgliteOk: false,
      pgliteMs: 0,
      notes: [],
    };
    const missing = neededExtensions(corpus).filter((name) => !this.available.has(name));
    if (missing.length > 0) {
      row.skipped = `extension ${missing.join(', ')} not available on the server`;
    } else {
      await this.postgres(corpus, row);
    }
    await this.pglite(corpus, row);
    await this.lint(corpus, row);
    return row;
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
      const roles = await this.dropNewRoles();
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
      const roles = await this.dropNewRoles();
      if (roles.length > 0)
        row.notes.push(`jam-db run created roles ${roles.join(', ')} (dropped)`);
    }
  }

  private async pglite(corpus: Corpus, row: Row): Promise<void> {
    const dir = mkdtempSync(join(this.workDir, `pglite-${corpus.name}-`));
    try {
      await createInPglite(dir, prerequisites[corpus.name]?.extensions ?? []);
      const result = await run(
        process.execPath,
        [jamDbBin, 'migrate', '--migrations', corpus.dir, '--json'],
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
    '| corpus | migrations | PostgreSQL: jam-db migrate ok | schema equal to psql reference | jam-db time | psql time | ratio | PGlite migrate ok | lint errors / warnings |',
    '|---|---:|---|---|---:|---:|---:|---|---:|',
  ];
  for (const r of rows) {
    const pglite = r.pgliteOk ? 'yes' : `no: ${cell(r.pgliteError ?? '')}`;
    const lint = r.lintError
      ? `failed: ${cell(r.lintError)}`
      : `${r.lintErrors} / ${r.lintWarnings}`;
    if (r.skipped) {
      lines.push(
        `| ${r.corpus} | ${r.migrations} | skipped: ${r.skipped} | – | – | – | – | ${pglite} | ${lint} |`,
      );
      continue;
    }
    const ratio =
      r.jamMs !== undefined && r.psqlMs !== undefined && !r.psqlError
        ? `${(r.jamMs / r.psqlMs).toFixed(2)}×`
        : '–';
    const jam = r.jamOk ? 'yes' : `no (${cell(r.jamError ?? '')})`;
    const equal = r.psqlError ? `– (reference failed: ${cell(r.psqlError)})` : yesNo(r.schemaEqual);
    lines.push(
      `| ${r.corpus} | ${r.migrations} | ${jam} | ${equal} | ${seconds(r.jamMs)} | ${seconds(r.psqlMs)} | ${ratio} | ${pglite} | ${lint} |`,
    );
  }
  return lines.join('\n');
}

function details(rows: Row[]): string {
  const out: string[] = [];
  for (const r of rows) {
    const items = [...r.notes];
    if (r.schemaLines !== undefined) items.unshift(`reference dump: ${r.schemaLines} lines of SQL`);
    if (r.schemaDiff)
      items.push(
        `schema differs from the reference:\n\n\`\`\`\n${r.schemaDiff.join('\n')}\n\`\`\``,
      );
    if (items.length > 0) out.push(`- \`${r.corpus}\`: ${items.join('; ')}`);
  }
  return out.length > 0 ? `\n## Details\n\n${out.join('\n')}\n` : '';
}

async function main(): Promise<number> {
  const started = performance.now();
  const names = readdirSync(corporaDir, { withFileTypes: true })
    .filter(
      (entry) =>
        entry.isDirectory() && existsSync(join(corporaDir, entry.name, 'meta', '_journal.json')),
    )
    .map((entry) => entry.name)
    .filter((name) => !options.only || options.only.includes(name))
    .sort();
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
        const row = await bench.measure(readCorpus(name));
        console.log(`  ${JSON.stringify({ ...row, schemaDiff: undefined })}`);
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
  const ran = `Ran ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')} on PostgreSQL ${postgresVersion} (local server), Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}; whole run ${seconds(totalMs)}.`;
  const document = `# jam-db on real drizzle-kit histories

Written by \`pnpm --filter @jam/bench bench:corpora\` (bench/src/corpora-bench.ts) from the
corpora in \`../shared/corpora\` (see its MANIFEST.md). Reference: a fresh database, each file
applied with \`psql -1 -v ON_ERROR_STOP=1 -f\` in journal order (files with CONCURRENTLY outside
comments without \`-1\`), after the MANIFEST's prerequisites (\`pg_trgm\` for autumn, a
pre-created \`drizzle.__drizzle_migrations\` for claude-code-hub). jam-db: \`jam-db migrate --json\`
on another fresh database (with \`pg_trgm\` for autumn, nothing else: for claude-code-hub
jam-db creates \`drizzle.__drizzle_migrations\` itself before 0020 deletes from it). Schemas compared as
\`pg_dump --schema-only --no-owner --no-privileges -N drizzle\`. Times are one wall-clock run each
(psql: the sum of one client start per file), on a shared machine: rough. PGlite: \`jam-db migrate\`
into a fresh \`pglite:<folder>\` (for autumn with \`pg_trgm\` created in it first; jam-db loads the
extensions the migrations create and those the database has). Lint: findings
of \`jam-db lint --json\` by severity.

${ran}

${table(rows)}
${details(rows)}`;
  writeFileSync(resultsPath, document);
  console.log(`\n${table(rows)}\n${details(rows)}\n${ran}\nWrote ${resultsPath}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);

/**
 * The built API under a bounded load while its database stalls, and writes
 * API-STALL-RESULTS.md. A measurement, not a test.
 *
 *   pnpm --filter @jam/bench bench:api-stall [--connections 20] [--before 10]
 *     [--stall 20] [--after 15] [--client-timeout 15] [--postgres-url <admin url>]
 *
 * It creates a scratch database on the server, migrates and seeds it, puts a
 * pausing TCP proxy in front of it, starts `apps/api/dist/server.js` on it and
 * runs `--connections` request loops for before + stall + after seconds,
 * holding every byte in the proxy during the stall. Twice: with the API's
 * default bounds, and with bounds of ten minutes, which behaves like the API
 * before it had any. One request in five appends a session note with a unique
 * topic, so afterwards the database tells which writes were applied although
 * their request answered an error or the client gave up.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { cpus, release, type } from 'node:os';
import { parseArgs } from 'node:util';
import { createDb, demoTokens, Migrator, readMigrationFolder, seed } from '@jam/db';
import pg from 'pg';
// The tests' proxy, reused so the measurement stalls the database exactly the way they do.
import { startPausingProxy } from '../../apps/api/test/support/pausing-proxy.js';
import { ScratchDatabases } from './databases.js';

const resultsPath = new URL('../API-STALL-RESULTS.md', import.meta.url);
const migrationsDir = new URL('../../packages/db/migrations', import.meta.url).pathname;
const apiEntry = new URL('../../apps/api/dist/server.js', import.meta.url).pathname;

type Phase = 'before' | 'stall' | 'after';
const phases: Phase[] = ['before', 'stall', 'after'];

interface Sample {
  phase: Phase;
  ms: number;
  /** The HTTP status, or `gave up` when the client's own timeout ended the request. */
  outcome: string;
  /** The note topic of a write, to find it in the database afterwards. */
  topic?: string;
}

interface Scenario {
  label: string;
  env: Record<string, string>;
}

const tenMinutes = String(10 * 60 * 1000);
const scenarios: Scenario[] = [
  { label: 'bounded (the defaults)', env: {} },
  {
    label: 'unbounded (10-minute bounds, like the API before)',
    env: {
      JAM_API_DB_CONNECT_TIMEOUT_MS: tenMinutes,
      JAM_API_DB_STATEMENT_TIMEOUT_MS: tenMinutes,
      JAM_API_DB_QUERY_TIMEOUT_MS: tenMinutes,
      JAM_API_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: tenMinutes,
    },
  },
];

function readOptions() {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    options: {
      connections: { type: 'string', default: '20' },
      before: { type: 'string', default: '10' },
      stall: { type: 'string', default: '20' },
      after: { type: 'string', default: '15' },
      'client-timeout': { type: 'string', default: '15' },
      'postgres-url': {
        type: 'string',
        default: process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
      },
    },
  });
  const positive = (name: keyof typeof values, max: number) => {
    const value = Number(values[name]);
    if (!Number.isInteger(value) || value < 1 || value > max) {
      throw new Error(`--${name} must be a whole number from 1 to ${max}.`);
    }
    return value;
  };
  const adminUrl = values['postgres-url'] as string;
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(new URL(adminUrl).hostname)) {
    throw new Error('--postgres-url must point at a loopback address.');
  }
  return {
    connections: positive('connections', 100),
    beforeMs: positive('before', 120) * 1000,
    stallMs: positive('stall', 120) * 1000,
    afterMs: positive('after', 120) * 1000,
    clientTimeoutMs: positive('client-timeout', 120) * 1000,
    adminUrl,
  };
}

type Options = ReturnType<typeof readOptions>;

async function prepareDatabase(url: string): Promise<void> {
  const target = { engine: 'postgres' as const, url };
  await new Migrator({ target, folder: readMigrationFolder(migrationsDir) }).migrate();
  const jam = await createDb({ target, purpose: 'jam-bench api-stall' });
  try {
    await seed(jam.db, { scale: 100 });
  } finally {
    await jam.close();
  }
}

interface Api {
  url: string;
  stop(): Promise<void>;
}

/** The built API on a free port; its request log is read and dropped so the pipe never fills. */
function startApi(databaseUrl: string, env: Record<string, string>): Promise<Api> {
  const { DATABASE_URL, JAM_DB_DRIVER, NEON_WS_PROXY, ...rest } = process.env;
  const child: ChildProcess = spawn(process.execPath, [apiEntry], {
    env: { ...rest, ...env, DATABASE_URL: databaseUrl, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let head = '';
  let started = false;
  child.stderr?.on('data', (chunk) => {
    if (head.length < 4000) head += chunk;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the API did not start within 60 s:\n${head}`));
    }, 60_000);
    child.once('exit', (code) => {
      if (!started) reject(new Error(`the API exited with ${code}:\n${head}`));
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      if (started) return;
      if (head.length < 4000) head += chunk;
      const match = /listening on (http:\/\/localhost:\d+)/.exec(head);
      if (!match) return;
      started = true;
      clearTimeout(timer);
      resolve({
        url: match[1]!,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            // SIGTERM waits for requests in flight; a request stuck on the database must not keep it up.
            const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
            child.once('exit', () => {
              clearTimeout(kill);
              done();
            });
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

/** Every demo user's token, and the mentorships Linus (a participant) may write notes on. */
async function callers(api: Api) {
  const linus = demoTokens.find((token) => token.email === 'linus@demo.jam.dev')!.token;
  const response = await fetch(`${api.url}/mentorships`, {
    headers: { authorization: `Bearer ${linus}` },
  });
  const mentorships = (await response.json()) as { id: string }[];
  if (mentorships.length === 0) throw new Error('the seed gave Linus no mentorship');
  return {
    tokens: demoTokens.map((t) => t.token),
    linus,
    mentorshipIds: mentorships.map((m) => m.id),
  };
}

async function runLoad(api: Api, options: Options, label: string): Promise<Sample[]> {
  const { tokens, linus, mentorshipIds } = await callers(api);
  const samples: Sample[] = [];
  const startedAt = performance.now();
  const endAt = startedAt + options.beforeMs + options.stallMs + options.afterMs;
  const phaseAt = (t: number): Phase =>
    t - startedAt < options.beforeMs
      ? 'before'
      : t - startedAt < options.beforeMs + options.stallMs
        ? 'stall'
        : 'after';
  let counter = 0;

  const oneRequest = async () => {
    const n = counter++;
    const write = n % 5 === 4;
    const topic = write ? `bench ${label} ${n}` : undefined;
    const request: { path: string; init: RequestInit } = write
      ? {
          path: `/mentorships/${mentorshipIds[n % mentorshipIds.length]}/notes`,
          init: {
            method: 'POST',
            headers: { authorization: `Bearer ${linus}`, 'content-type': 'application/json' },
            body: JSON.stringify({ date: '2026-11-30', topic, notes: 'load' }),
          },
        }
      : {
          path: '/me/quests',
          init: { headers: { authorization: `Bearer ${tokens[n % tokens.length]}` } },
        };
    const sent = performance.now();
    let outcome: string;
    try {
      const response = await fetch(`${api.url}${request.path}`, {
        ...request.init,
        signal: AbortSignal.timeout(options.clientTimeoutMs),
      });
      await response.arrayBuffer();
      outcome = String(response.status);
    } catch {
      outcome = 'gave up';
    }
    samples.push({ phase: phaseAt(sent), ms: performance.now() - sent, outcome, topic });
  };

  const worker = async () => {
    while (performance.now() < endAt) await oneRequest();
  };
  return Promise.all([
    ...Array.from({ length: options.connections }, worker),
    (async () => {
      await sleep(options.beforeMs);
      proxyControl.pause();
      await sleep(options.stallMs);
      proxyControl.resume();
    })(),
  ]).then(() => samples);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Set per scenario: the load's timer pauses and resumes the proxy through it. */
let proxyControl = { pause: () => {}, resume: () => {} };

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? 0
    : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;

function phaseTable(samples: Sample[]): string {
  const lines = [
    '| phase | requests | p50 | p99 | max | outcomes |',
    '|---|---:|---:|---:|---:|---|',
  ];
  for (const phase of phases) {
    const mine = samples.filter((s) => s.phase === phase);
    const sorted = mine.map((s) => s.ms).sort((a, b) => a - b);
    const outcomes = new Map<string, number>();
    for (const s of mine) outcomes.set(s.outcome, (outcomes.get(s.outcome) ?? 0) + 1);
    const outcomeText = [...outcomes]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([outcome, count]) => `${outcome}: ${count}`)
      .join(', ');
    lines.push(
      `| ${phase} | ${mine.length} | ${seconds(percentile(sorted, 50))} | ${seconds(percentile(sorted, 99))} | ${seconds(sorted.at(-1) ?? 0)} | ${outcomeText} |`,
    );
  }
  return lines.join('\n');
}

/** Writes whose note is in the database although the request did not answer 201. */
async function lateWrites(databaseUrl: string, samples: Sample[]) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ topic: string }>(
      `SELECT note->>'topic' AS topic FROM mentorships, jsonb_array_elements(coalesce(session_notes, '[]'::jsonb)) note
        WHERE note->>'topic' LIKE 'bench %'`,
    );
    const stored = new Set(rows.map((row) => row.topic));
    const writes = samples.filter((s) => s.topic);
    const failed = writes.filter((s) => s.outcome !== '201');
    return {
      writes: writes.length,
      failed: failed.length,
      appliedAnyway: failed.filter((s) => stored.has(s.topic!)).length,
      answeredButMissing: writes.filter((s) => s.outcome === '201' && !stored.has(s.topic!)).length,
    };
  } finally {
    await client.end();
  }
}

async function runScenario(options: Options, databases: ScratchDatabases, scenario: Scenario) {
  const databaseUrl = await databases.create();
  const proxy = await startPausingProxy(Number(new URL(databaseUrl).port || 5432));
  proxyControl = proxy;
  try {
    await prepareDatabase(databaseUrl);
    const api = await startApi(proxy.urlFor(databaseUrl), scenario.env);
    let samples: Sample[];
    try {
      console.log(`${scenario.label}: running…`);
      samples = await runLoad(api, options, scenario.label.split(' ')[0]!);
    } finally {
      proxy.resume();
      await api.stop();
    }
    // The API is stopped and the proxy forwards again: whatever was held has reached the server.
    await sleep(2_000);
    const writes = await lateWrites(databaseUrl, samples);
    const section = [
      `### ${scenario.label}`,
      '',
      phaseTable(samples),
      '',
      `Writes: ${writes.writes}, of which ${writes.failed} did not answer 201; ` +
        `**${writes.appliedAnyway} of those were applied anyway**; ` +
        `${writes.answeredButMissing} answered 201 but are missing.`,
    ].join('\n');
    console.log(`\n${section}\n`);
    return section;
  } finally {
    await proxy.close();
    await databases.drop(databaseUrl);
  }
}

async function main() {
  const options = readOptions();
  if (!existsSync(apiEntry)) {
    throw new Error(`${apiEntry} is missing: run \`pnpm --filter @jam/api build\` first.`);
  }
  const databases = new ScratchDatabases(options.adminUrl);
  const serverVersion = await databases.open();
  const sections: string[] = [];
  try {
    for (const scenario of scenarios)
      sections.push(await runScenario(options, databases, scenario));
  } finally {
    await databases.close();
  }
  const report = [
    '# The API while its database stalls',
    '',
    `Run ${new Date().toISOString()} on ${type()} ${release()}, ${cpus().length} CPU(s) ` +
      `(${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, PostgreSQL ${serverVersion}, ` +
      'on a machine shared with other jobs: read the shape, not the digits.',
    '',
    `${options.connections} connections in closed loops for ${options.beforeMs / 1000} s, then the ` +
      `database stalls for ${options.stallMs / 1000} s (a loopback proxy holds every byte), then ` +
      `${options.afterMs / 1000} s more. Four requests in five are \`GET /me/quests\`, one is ` +
      '`POST /mentorships/:id/notes` with a unique topic. A request counts in the phase it started in; ' +
      `"gave up" is the load client's own ${options.clientTimeoutMs / 1000} s timeout. ` +
      '`pnpm --filter @jam/bench bench:api-stall` reproduces it.',
    '',
    ...sections.flatMap((section) => [section, '']),
  ].join('\n');
  writeFileSync(resultsPath, report);
  console.log(`Wrote ${resultsPath.pathname}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import type { OnlineCase } from './online-cases.js';
import { type CommandRun, spawnCommand } from './timed-command.js';

export interface ChangeOutcome {
  /** Set when the change failed: its first line. */
  failure?: string;
  notes: string[];
  /**
   * jam-db's own clock, from before it connects to the end of the run: the part of the
   * child process's life in which it can hold locks (Node start-up is the rest).
   */
  workMs?: number;
  /** How often jam-db hit lock_timeout and tried again. */
  retries?: number;
}

/** A prepared contender: `run()` applies the pending migrations and resolves however it ends. */
export interface Change {
  notes: string[];
  run(): Promise<ChangeOutcome>;
}

/** jam-db's environment: only the database we name, whatever the shell has set. */
function jamDbEnv(url: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: url };
  for (const name of ['JAM_DB_DRIVER', 'NEON_WS_PROXY', 'JAM_DB_LOCK_TIMEOUT', 'PGDATABASE']) {
    delete env[name];
  }
  return env;
}

/**
 * jam-db's error paragraph on one line, without the scratch folder's path, so the notes
 * show what it said (the blocking session, say) and equal messages of two runs read alike.
 */
const errorParagraph = (text: string, folder: string): string => {
  const paragraph = text.trim().split(/\n\s*\n/)[0] ?? '';
  const line = paragraph.replaceAll(`${folder}/`, '').replace(/\s+/g, ' ');
  return line.length > 800 ? `${line.slice(0, 800)}…` : line || '(no output)';
};

const firstLine = (text: string): string =>
  text
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line.length > 0) ?? '(no output)';

/**
 * The plain contender: drizzle-orm's own migrator on one pg client, which runs every
 * pending statement of every pending migration in one transaction.
 */
export function plainChange(url: string, folder: string): Change {
  return {
    notes: [],
    async run() {
      const client = new pg.Client({ connectionString: url, application_name: 'jam-bench-plain' });
      await client.connect();
      try {
        await migrate(drizzle(client), { migrationsFolder: folder });
        return { notes: [] };
      } catch (error) {
        const cause = (error as { cause?: unknown }).cause ?? error;
        return {
          failure: firstLine(cause instanceof Error ? cause.message : String(cause)),
          notes: [],
        };
      } finally {
        await client.end().catch(() => {});
      }
    },
  };
}

const sqlFiles = (folder: string): Map<string, string> =>
  new Map(
    readdirSync(folder)
      .filter((name) => name.endsWith('.sql'))
      .map((name) => [name, readFileSync(join(folder, name), 'utf8')]),
  );

/** What `jam-db lint --fix` did to the pending files, in one line for the notes. */
function describeFix(
  onlineCase: OnlineCase,
  lint: CommandRun,
  before: Map<string, string>,
  after: Map<string, string>,
): string {
  if (onlineCase.pending.length === 0) return 'nothing pending';
  if (lint.code === 2 && /unknown option '--fix'/i.test(lint.stderr)) {
    return 'this jam-db has no `lint --fix`: it ran the plain files';
  }
  const changed = [...after].filter(([name, sql]) => before.get(name) !== sql);
  const rewritten = changed.reduce(
    (sum, [, sql]) => sum + Number(/-- jam-db:online (\d+)/.exec(sql)?.[1] ?? 0),
    0,
  );
  if (changed.length > 0) {
    return `\`lint --fix\` rewrote ${rewritten} statement(s) in ${changed.length} file(s)`;
  }
  if (onlineCase.expandContract)
    return 'not rewritten (expand/contract, issue #12): it ran the plain file';
  const said =
    lint.code === 0 ? '' : ` (lint exited ${lint.code}: ${firstLine(lint.stderr || lint.stdout)})`;
  return `\`lint --fix\` left the files as they were${said}`;
}

/** Lines in which jam-db says it hit lock_timeout and tries again. */
const retryCount = (run: CommandRun): number =>
  `${run.stdout}\n${run.stderr}`.split('\n').filter((line) => /trying again/i.test(line)).length;

/**
 * The jam-db contender: `jam-db lint --fix` makes the pending files safe (before the load
 * starts), then `jam-db migrate` runs as a child process with its default settings.
 */
export async function jamDbChange(
  jamDbBin: string,
  url: string,
  folder: string,
  onlineCase: OnlineCase,
): Promise<Change> {
  const env = jamDbEnv(url);
  const before = sqlFiles(folder);
  const lint = await spawnCommand(
    process.execPath,
    [jamDbBin, 'lint', '--fix', '--migrations', folder],
    { env, timeoutMs: 120_000 },
  );
  const notes = [describeFix(onlineCase, lint, before, sqlFiles(folder))];
  return {
    notes,
    async run() {
      const migrateRun = await spawnCommand(
        process.execPath,
        [jamDbBin, 'migrate', '--migrations', folder],
        { env, timeoutMs: 10 * 60_000 },
      );
      const applied = /Applied \d+ migration\(s\) in ([\d.]+) (ms|s)\./.exec(migrateRun.stdout);
      const workMs = applied ? Number(applied[1]) * (applied[2] === 's' ? 1000 : 1) : undefined;
      const retries = retryCount(migrateRun);
      if (migrateRun.code === 0) return { notes: [], retries, ...(workMs ? { workMs } : {}) };
      const exit = migrateRun.signal ?? `exit ${migrateRun.code}`;
      return {
        failure: `${exit}: ${errorParagraph(migrateRun.stderr || migrateRun.stdout, folder)}`,
        notes: [],
        retries,
      };
    },
  };
}

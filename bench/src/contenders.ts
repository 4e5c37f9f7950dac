import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SyntheticHistory } from './synthetic-history.js';
import { CommandFailed, type TimedRun, timedCommand, withoutPasswords } from './timed-command.js';

const benchDir = dirname(dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);

/** The bin users run, so its stale-build check and start-up are measured too. */
export const jamDbBin = join(dirname(require.resolve('@jam/db/package.json')), 'bin', 'jam-db.js');
const drizzleKitBin = join(benchDir, 'node_modules', 'drizzle-kit', 'bin.cjs');
const pgliteFloorScript = join(benchDir, 'src', 'pglite-floor.mjs');

/** What bin/jam-db.js prints when it rebuilds dist/ before running. */
const rebuildNotice = 'building @jam/db';

/** A jam-db run that had to rebuild the CLI first measured tsup, not jam-db. */
export class StaleBuild extends Error {}

/** The parent's environment without anything that would steer a contender to another database. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['DATABASE_URL', 'JAM_DB_DRIVER', 'NEON_WS_PROXY', 'PGDATABASE']) {
    delete env[name];
  }
  return { ...env, ...extra };
}

/** The commands being compared, all spawned so that each pays its own process start. */
export class Contenders {
  private readonly drizzleConfig: string;

  constructor(
    private readonly history: SyntheticHistory,
    private readonly workDir: string,
  ) {
    this.drizzleConfig = join(workDir, 'drizzle.config.ts');
    // One config for every database: the URL comes from the environment of each run.
    writeFileSync(
      this.drizzleConfig,
      `export default {
  dialect: 'postgresql',
  out: ${JSON.stringify(history.dir)},
  dbCredentials: { url: process.env.BENCH_DRIZZLE_URL },
};
`,
    );
  }

  /** bin/jam-db.js rebuilds dist/ when the sources are newer: let it happen outside any timed run. */
  async ensureJamDbBuilt(): Promise<void> {
    await timedCommand(process.execPath, [jamDbBin, '--help'], cleanEnv(), this.workDir);
  }

  /** `jam-db migrate --json`; checks it applied exactly `expected` migrations. */
  async jamDb(databaseUrl: string, expected: number): Promise<TimedRun> {
    const run = await timedCommand(
      process.execPath,
      [jamDbBin, 'migrate', '--migrations', this.history.dir, '--json'],
      cleanEnv({ DATABASE_URL: databaseUrl }),
      this.workDir,
    );
    if (run.stderr.includes(rebuildNotice)) throw new StaleBuild();
    const applied = appliedCount(run.stdout);
    if (applied !== expected) {
      throw new CommandFailed(
        `jam-db migrate (${withoutPasswords(databaseUrl)})`,
        `code 0 but applied ${applied} migrations where ${expected} were expected`,
        run.stdout,
        run.stderr,
      );
    }
    return run;
  }

  psql(databaseUrl: string): Promise<TimedRun> {
    return timedCommand(
      'psql',
      ['-1', '-q', '-X', '-v', 'ON_ERROR_STOP=1', '-f', this.history.allSqlPath, '-d', databaseUrl],
      cleanEnv(),
      this.workDir,
    );
  }

  drizzleKit(databaseUrl: string): Promise<TimedRun> {
    return timedCommand(
      process.execPath,
      [drizzleKitBin, 'migrate', '--config', this.drizzleConfig],
      cleanEnv({ BENCH_DRIZZLE_URL: databaseUrl }),
      this.workDir,
    );
  }

  pgliteFloor(dataDir: string): Promise<TimedRun> {
    return timedCommand(
      process.execPath,
      [pgliteFloorScript, dataDir, this.history.allSqlPath],
      cleanEnv(),
      this.workDir,
    );
  }
}

function appliedCount(stdout: string): number | string {
  try {
    const document = JSON.parse(stdout) as { applied?: unknown };
    return Array.isArray(document.applied) ? document.applied.length : 'no "applied" list';
  } catch {
    return 'unreadable JSON';
  }
}

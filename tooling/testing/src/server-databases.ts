import pg from 'pg';
import { runPidOfDatabase } from './names.js';
import { processAlive } from './process-alive.js';

/**
 * Drops the scratch databases of test runs that no longer exist (and of the
 * run `ownPid` when it ends). Names carry the run's pid, so this never touches
 * a database that a live run, here or in another checkout, is using.
 */
export async function sweepServerDatabases(serverUrl: string, ownPid?: number): Promise<string[]> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE 'jam\\_%'",
    );
    const dropped: string[] = [];
    for (const { datname } of rows) {
      const owner = runPidOfDatabase(datname);
      if (owner === undefined || (owner !== ownPid && processAlive(owner))) continue;
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      dropped.push(datname);
    }
    return dropped;
  } finally {
    await client.end();
  }
}

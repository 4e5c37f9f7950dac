import { spawnCommand, withoutPasswords } from './timed-command.js';

/**
 * A database's schema as pg_dump prints it, without the migration tracking schema and
 * without what differs between two equal schemas (comments, SET lines, blank lines), as
 * sorted lines: equal lines mean equal tables, columns, defaults, constraints and indexes.
 */
export async function schemaLines(url: string): Promise<string[]> {
  const args = ['--schema-only', '--no-owner', '--no-privileges', '--exclude-schema=drizzle', url];
  const run = await spawnCommand('pg_dump', args, { env: process.env, timeoutMs: 60_000 });
  if (run.code !== 0) {
    throw new Error(`pg_dump ${withoutPasswords(url)} failed: ${run.stderr.trim()}`);
  }
  return run.stdout
    .split('\n')
    .map((line) => line.trimEnd())
    .filter(
      (line) =>
        line.length > 0 &&
        !line.startsWith('--') &&
        !line.startsWith('SET ') &&
        // pg_dump 15.14+ brackets its output with a random key.
        !/^\\(un)?restrict /.test(line) &&
        !line.startsWith('SELECT pg_catalog.set_config'),
    )
    .sort();
}

/** The lines only one side has (`-` plain, `+` jam-db), or [] when the schemas are equal. */
export function schemaDiff(plain: string[], jamDb: string[], limit = 6): string[] {
  const inPlain = new Set(plain);
  const inJamDb = new Set(jamDb);
  return [
    ...plain.filter((line) => !inJamDb.has(line)).map((line) => `- ${line}`),
    ...jamDb.filter((line) => !inPlain.has(line)).map((line) => `+ ${line}`),
  ].slice(0, limit);
}

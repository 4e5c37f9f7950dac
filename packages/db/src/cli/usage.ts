import { JamDbError } from '../errors.js';
import type { CommandDefinition } from './command.js';

type Described = Pick<CommandDefinition, 'name' | 'synopsis' | 'summary'>;

/** The column where summaries start; a longer usage line keeps three spaces before its summary. */
const summaryColumn = 55;

export function usageLine({ name, synopsis, summary }: Described): string {
  const head = synopsis === '' ? name : `${name} ${synopsis}`;
  return `${head}${' '.repeat(Math.max(3, summaryColumn - head.length))}${summary}`;
}

/** One command's usage, or every command's when given the whole list. */
export function usage(commands: Described | readonly Described[]): string {
  const lines = Array.isArray(commands)
    ? [
        'usage: jam-db <command> [options]',
        '',
        'commands:',
        ...(commands as readonly Described[]).map((c) => `  ${usageLine(c)}`),
      ]
    : [`usage: jam-db ${usageLine(commands as Described)}`];
  return [
    ...lines,
    '',
    'options for every command:',
    '  --migrations <dir>   drizzle-kit migrations folder (default: packages/db/migrations)',
    '  --json               print one JSON document on stdout',
    '  --verbose            print stack traces with errors',
    '  --lock-wait <s>      wait this long for another run to finish (default 60, env JAM_DB_LOCK_WAIT)',
    '  --connect-timeout <s>  give up connecting after this long (default 10, env JAM_DB_CONNECT_TIMEOUT)',
    'options of migrate and rollback:',
    '  --lock-timeout <ms>  PostgreSQL lock_timeout per statement (default 5000, env JAM_DB_LOCK_TIMEOUT)',
    '  --lock-retries <n>   tries again after a lock timeout, pausing 0.5 s, 1 s, 2 s… (default 3)',
    '  --help               show this help',
    '',
    'DATABASE_URL chooses the database: unset = embedded PGlite in .jam/pglite,',
    'pglite:<dir> | pglite:memory, postgres://… (node-postgres), *.neon.tech or JAM_DB_DRIVER=neon (Neon).',
  ].join('\n');
}

export function usageError(
  message: string,
  commands: Described | readonly Described[],
): JamDbError {
  return new JamDbError('usage', message, usage(commands));
}

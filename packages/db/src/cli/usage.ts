import { JamDbError } from '../errors.js';
import type { CommandDefinition } from './command.js';
import { commonOptions, migratorOptions, type OptionSpecs } from './options.js';

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
    ...optionLines(commonOptions),
    'options of migrate and rollback:',
    ...optionLines(migratorOptions),
    '',
    'DATABASE_URL chooses the database: unset = embedded PGlite in .jam/pglite,',
    'pglite:<dir> | pglite:memory, postgres://… (node-postgres), *.neon.tech or JAM_DB_DRIVER=neon (Neon).',
  ].join('\n');
}

/** The column where an option's description starts; a longer option keeps two spaces. */
const optionHelpColumn = 21;

/** One help line per option, its default and environment variable taken from its definition. */
function optionLines(options: OptionSpecs): string[] {
  return Object.entries(options).map(([name, spec]) => {
    const head = spec.value === undefined ? `--${name}` : `--${name} ${spec.value}`;
    const origin =
      spec.kind === 'integer' && spec.fallback !== undefined
        ? ` (default ${spec.fallback}${spec.env ? `, env ${spec.env}` : ''})`
        : '';
    const gap = ' '.repeat(Math.max(2, optionHelpColumn - head.length));
    return `  ${head}${gap}${spec.help ?? ''}${origin}`;
  });
}

export function usageError(
  message: string,
  commands: Described | readonly Described[],
): JamDbError {
  return new JamDbError('usage', message, usage(commands));
}

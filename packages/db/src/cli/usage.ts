import { JamDbError } from '../errors.js';
import type { CommandDefinition } from './command.js';
import { commonOptions, migratorOptions, type OptionSpec, type OptionSpecs } from './options.js';

type Described = Pick<CommandDefinition, 'name' | 'summary' | 'options' | 'positional'>;

/** The column where summaries start; a longer usage line keeps three spaces before its summary. */
const summaryColumn = 55;

export function usageLine(command: Described): string {
  const { name, summary } = command;
  const words = synopsis(command);
  const head = words === '' ? name : `${name} ${words}`;
  return `${head}${' '.repeat(Math.max(3, summaryColumn - head.length))}${summary}`;
}

/**
 * What follows a command's name in its usage line, made from its options in
 * their order: `[--to <tag>]`, `[--rename <old>:<new>]…` for a repeatable one,
 * `--to <tag>` for a required one, `[--steps <n> | --to <tag>]` for two that
 * exclude each other, `[--fix [--dry-run]]` for one that goes with another.
 * The options every command takes, and those migrate and rollback share, have
 * their own lines below and are left out.
 */
export function synopsis({ options, positional }: Described): string {
  const own = Object.entries(options).filter(([name]) => !Object.hasOwn(migratorOptions, name));
  const shownInside = new Set<string>();
  for (const [name, spec] of own) {
    for (const partner of [spec.alternativeTo, spec.goesWith]) {
      if (partner !== undefined && !Object.hasOwn(options, partner))
        throw new Error(`--${name} names --${partner}, which is not an option of the command`);
    }
    if (spec.alternativeTo !== undefined) shownInside.add(spec.alternativeTo);
    if (spec.goesWith !== undefined) shownInside.add(name);
  }
  const withFollowers = (name: string): string =>
    [
      optionWord(name, options[name]!),
      ...own.filter(([, spec]) => spec.goesWith === name).map(([follower]) => word(follower)),
    ].join(' ');
  const word = (name: string): string => {
    const spec = options[name]!;
    if (spec.alternativeTo !== undefined)
      return `[${withFollowers(name)} | ${withFollowers(spec.alternativeTo)}]`;
    if (spec.kind === 'text' && spec.required !== undefined) return withFollowers(name);
    return `[${withFollowers(name)}]${spec.kind === 'texts' ? '…' : ''}`;
  };
  const words = own.filter(([name]) => !shownInside.has(name)).map(([name]) => word(name));
  return [...words, ...(positional === undefined ? [] : [positional])].join(' ');
}

const optionWord = (name: string, spec: OptionSpec): string =>
  spec.kind === 'flag' ? `--${name}` : `--${name} ${spec.value}`;

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
    const head = optionWord(name, spec);
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

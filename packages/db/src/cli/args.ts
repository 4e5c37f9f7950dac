import { isAbsolute, join, resolve } from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { JamDbError } from '../errors.js';
import { packageRoot } from '../package-root.js';
import { userCwd } from '../target/target.js';
import { type CommandName, isCommandName, usage } from './usage.js';

type Options = NonNullable<ParseArgsConfig['options']>;

const commonOptions = {
  migrations: { type: 'string' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  'lock-wait': { type: 'string' },
  'connect-timeout': { type: 'string' },
} as const satisfies Options;

const commandOptions = {
  migrate: {
    to: { type: 'string' },
    'dry-run': { type: 'boolean' },
    'allow-out-of-order': { type: 'boolean' },
    'accept-changed': { type: 'string', multiple: true },
    'lock-timeout': { type: 'string' },
    'lock-retries': { type: 'string' },
  },
  rollback: {
    'lock-timeout': { type: 'string' },
    'lock-retries': { type: 'string' },
    steps: { type: 'string' },
    to: { type: 'string' },
    'dry-run': { type: 'boolean' },
    'allow-data-loss': { type: 'boolean' },
  },
  status: {},
  generate: {
    name: { type: 'string' },
    rename: { type: 'string', multiple: true },
    created: { type: 'string', multiple: true },
    schema: { type: 'string' },
  },
  'generate-down': { force: { type: 'boolean' } },
  verify: { from: { type: 'string' }, to: { type: 'string' }, 'allow-manual': { type: 'boolean' } },
  lint: {},
  check: { schema: { type: 'string' } },
  baseline: { to: { type: 'string' } },
  erd: { out: { type: 'string' }, schema: { type: 'string' }, check: { type: 'boolean' } },
  report: {},
  'release-check': { since: { type: 'string' } },
  seed: { reset: { type: 'boolean' }, scale: { type: 'string' } },
} as const satisfies Record<CommandName, Options>;

export interface ParsedCommand {
  command: CommandName;
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  migrationsDir: string;
  json: boolean;
  verbose: boolean;
  help: boolean;
}

/** The package's own migrations folder, wherever the command was started. */
export const defaultMigrationsDir = (): string => join(packageRoot(), 'migrations');

export function usageError(message: string, command?: CommandName): JamDbError {
  return new JamDbError('usage', message, usage(command));
}

export function parseCommandLine(
  argv: string[],
): ParsedCommand | { help: true; command?: undefined } {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help')
    return { help: true };
  if (!isCommandName(name)) {
    throw usageError(
      name.startsWith('-') ? `Expected a command before ${name}.` : `Unknown command "${name}".`,
    );
  }
  const options: Options = { ...commonOptions, ...commandOptions[name] };
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    // Only `report <tag>` takes a word that is not an option.
    parsed = parseArgs({
      args: attachNegativeValues(rest, options),
      options,
      strict: true,
      allowPositionals: name === 'report',
    });
  } catch (error) {
    throw usageError(explainParseError(error as Error & { code?: string }), name);
  }
  const values = parsed.values as ParsedCommand['values'];
  const migrations = values.migrations as string | undefined;
  return {
    command: name,
    values,
    positionals: parsed.positionals,
    migrationsDir:
      migrations === undefined
        ? defaultMigrationsDir()
        : isAbsolute(migrations)
          ? migrations
          : resolve(userCwd(), migrations),
    json: values.json === true,
    verbose: values.verbose === true,
    help: values.help === true,
  };
}

/** A whole number ≥ min from a flag, or a usage error naming the flag. */
export function integerFlag(
  value: unknown,
  flag: string,
  command: CommandName,
  min = 1,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  const problem = integerProblem(text, min, max);
  if (problem) throw usageError(`${flag} takes ${problem}, not "${text}".`, command);
  return Number(text);
}

/** What is wrong with `text` as a whole number in [min, max], or null when nothing is. */
export function integerProblem(text: string, min: number, max: number): string | null {
  if (/^\d+$/.test(text) && Number(text) >= min && Number(text) <= max) return null;
  return max === Number.MAX_SAFE_INTEGER
    ? `a whole number of at least ${min}`
    : `a whole number from ${min} to ${max}`;
}

/**
 * `--steps -1` is a wrong number, not a missing one; node's parser would call it
 * ambiguous. Joined as `--steps=-1`, it reaches the flag's own check, which says
 * what the flag takes.
 */
function attachNegativeValues(args: string[], options: Options): string[] {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const next = args[i + 1];
    const takesValue = arg.startsWith('--') && options[arg.slice(2)]?.type === 'string';
    if (takesValue && next !== undefined && /^-\.?\d/.test(next)) {
      joined.push(`${arg}=${next}`);
      i++;
    } else {
      joined.push(arg);
    }
  }
  return joined;
}

/** node's parser messages, reworded to name the flag and what it lacks. */
function explainParseError(error: Error & { code?: string }): string {
  const flag = /Option '(-{1,2}[^' ]+)/.exec(error.message)?.[1];
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && flag) {
    if (/argument missing/.test(error.message)) return `${flag} needs a value.`;
    if (/ambiguous/.test(error.message))
      return `${flag} needs a value, but is followed by another option.`;
    if (/does not take an argument/.test(error.message)) return `${flag} takes no value.`;
  }
  return error.message.replace(/\. To specify.*$/s, '.');
}

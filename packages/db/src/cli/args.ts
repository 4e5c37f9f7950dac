import { isAbsolute, join, resolve } from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { userCwd } from '../client/target.js';
import { JamDbError } from '../errors.js';
import { packageRoot } from '../package-root.js';
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
  verify: {},
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
    parsed = parseArgs({ args: rest, options, strict: true, allowPositionals: name === 'report' });
  } catch (error) {
    throw usageError(`${(error as Error).message.replace(/\. To specify.*$/s, '.')}`, name);
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
): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if (!/^\d+$/.test(text) || Number(text) < min) {
    throw usageError(`${flag} takes a whole number of at least ${min}, not "${text}".`, command);
  }
  return Number(text);
}

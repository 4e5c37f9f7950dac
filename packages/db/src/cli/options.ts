import { type ParseArgsConfig, parseArgs } from 'node:util';
import { JamDbError } from '../errors.js';
import { defaultLockRetries, defaultLockTimeoutMs } from '../migrations/lock-settings.js';
import { closestName } from './suggest.js';

/**
 * What an option takes. Integers carry their own bounds, environment variable
 * and default, so the check and its message live with the option.
 */
export type OptionSpec = (
  | { kind: 'flag'; short?: string }
  | { kind: 'text' }
  | { kind: 'texts' }
  | { kind: 'integer'; min: number; max?: number; env?: string; fallback?: number }
) & {
  /** What the option's value is, for help: `<dir>`. */
  value?: string;
  /** Its line in the help; an integer's default and environment variable are added to it. */
  help?: string;
};

export type OptionSpecs = Record<string, OptionSpec>;

type ValueOf<S extends OptionSpec> = S extends { kind: 'flag' }
  ? boolean
  : S extends { kind: 'text' }
    ? string | undefined
    : S extends { kind: 'texts' }
      ? string[] | undefined
      : S extends { fallback: number }
        ? number
        : number | undefined;

export type OptionValues<O extends OptionSpecs> = { readonly [K in keyof O]: ValueOf<O[K]> };

/** Node's timers hold at most 2^31 - 1 ms; a longer wait would fire at once instead. */
export const longestTimerMs = 2 ** 31 - 1;
const longestWaitSeconds = Math.floor(longestTimerMs / 1000);

/** Options every command accepts. */
export const commonOptions = {
  migrations: {
    kind: 'text',
    value: '<dir>',
    help: 'drizzle-kit migrations folder (default: packages/db/migrations)',
  },
  json: { kind: 'flag', help: 'print one JSON document on stdout' },
  verbose: { kind: 'flag', help: 'print stack traces with errors' },
  'lock-wait': {
    kind: 'integer',
    min: 0,
    max: longestWaitSeconds,
    env: 'JAM_DB_LOCK_WAIT',
    fallback: 60,
    value: '<s>',
    help: 'wait this long for another run to finish',
  },
  'connect-timeout': {
    kind: 'integer',
    min: 1,
    max: longestWaitSeconds,
    env: 'JAM_DB_CONNECT_TIMEOUT',
    fallback: 10,
    value: '<s>',
    help: 'give up connecting after this long',
  },
  help: { kind: 'flag', short: 'h', help: 'show this help' },
} as const satisfies OptionSpecs;

/** The options of the commands that run migrations: migrate and rollback. */
export const migratorOptions = {
  'lock-timeout': {
    kind: 'integer',
    min: 1,
    max: longestTimerMs,
    env: 'JAM_DB_LOCK_TIMEOUT',
    fallback: defaultLockTimeoutMs,
    value: '<ms>',
    help: 'PostgreSQL lock_timeout per statement: the longest a waiting statement stalls writers',
  },
  // Each retry can stall writers for up to the lock timeout again: 20 is plenty.
  'lock-retries': {
    kind: 'integer',
    min: 0,
    max: 20,
    fallback: defaultLockRetries,
    value: '<n>',
    help: 'tries again after a lock timeout, pausing 0.25 s, 0.5 s, 1 s… up to 5 s, each ±25 %',
  },
} as const satisfies OptionSpecs;

export type CommonOptions = typeof commonOptions;

/** Raised with the usage of the command whose options were wrong. */
export type UsageErrorOf = (message: string) => JamDbError;

/**
 * Parses a command's options with node's parseArgs. Integers are checked when a
 * command reads them, not here: a command that never connects ignores the waits,
 * and a problem with the flag wins over one with its environment variable.
 */
export function parseOptions<O extends OptionSpecs>(
  specs: O,
  args: string[],
  takesPositionals: boolean,
  usageError: UsageErrorOf,
): { values: OptionValues<O>; positionals: string[] } {
  const config = parseArgsConfig(specs);
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: attachNegativeValues(args, config),
      options: config,
      strict: true,
      allowPositionals: takesPositionals,
    });
  } catch (error) {
    throw usageError(explainParseError(error as Error & { code?: string }, Object.keys(specs)));
  }
  const values: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const raw = parsed.values[name];
    if (spec.kind === 'integer') {
      Object.defineProperty(values, name, {
        enumerable: true,
        get: () => integerValue(name, spec, raw as string | undefined, usageError),
      });
    } else {
      values[name] = spec.kind === 'flag' ? raw === true : raw;
    }
  }
  return { values: values as OptionValues<O>, positionals: parsed.positionals };
}

function parseArgsConfig(specs: OptionSpecs): NonNullable<ParseArgsConfig['options']> {
  return Object.fromEntries(
    Object.entries(specs).map(([name, spec]) => [
      name,
      spec.kind === 'flag'
        ? { type: 'boolean' as const, ...(spec.short ? { short: spec.short } : {}) }
        : { type: 'string' as const, multiple: spec.kind === 'texts' },
    ]),
  );
}

/** The flag, else the environment variable, else the default. */
function integerValue(
  name: string,
  spec: Extract<OptionSpec, { kind: 'integer' }>,
  fromFlag: string | undefined,
  usageError: UsageErrorOf,
): number | undefined {
  const max = spec.max ?? Number.MAX_SAFE_INTEGER;
  if (fromFlag !== undefined) {
    const problem = integerProblem(fromFlag, spec.min, max);
    if (problem) throw usageError(`--${name} takes ${problem}, not "${fromFlag}".`);
    return Number(fromFlag);
  }
  const fromEnv = spec.env ? process.env[spec.env] : undefined;
  if (fromEnv === undefined || fromEnv === '') return spec.fallback;
  const problem = integerProblem(fromEnv, spec.min, max);
  if (problem) {
    throw new JamDbError(
      'config',
      `${spec.env} is "${fromEnv}"; it takes ${problem}.`,
      `Set it to e.g. ${spec.fallback}, or unset it.`,
    );
  }
  return Number(fromEnv);
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
function attachNegativeValues(
  args: string[],
  config: NonNullable<ParseArgsConfig['options']>,
): string[] {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const next = args[i + 1];
    const takesValue = arg.startsWith('--') && config[arg.slice(2)]?.type === 'string';
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
function explainParseError(error: Error & { code?: string }, known: string[]): string {
  const flag = /Option '(-{1,2}[^' ]+)/.exec(error.message)?.[1];
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && flag) {
    if (/argument missing/.test(error.message)) return `${flag} needs a value.`;
    if (/ambiguous/.test(error.message))
      return `${flag} needs a value, but is followed by another option.`;
    if (/does not take an argument/.test(error.message)) return `${flag} takes no value.`;
  }
  const message = error.message.replace(/\. To specify.*$/s, '.');
  const unknown = /^Unknown option '--([^'=]+)'/.exec(message)?.[1];
  const suggestion = unknown === undefined ? null : closestName(unknown, known);
  return suggestion === null ? message : `${message}. Did you mean --${suggestion}?`;
}

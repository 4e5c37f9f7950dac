import type { JamDbError } from '../errors.js';
import type { Target } from '../target/target.js';
import type { CommonOptions, OptionSpecs, OptionValues } from './options.js';
import type { Output } from './output.js';

/**
 * One command, whole: what `jam-db help` shows of it, the options it takes and
 * what it does. Help (the usage line too), option checks and "did you mean"
 * are derived from it.
 */
export interface CommandDefinition<O extends OptionSpecs = OptionSpecs> {
  readonly name: string;
  readonly summary: string;
  /** Options beyond the common ones (--migrations, --json, …), in the order the usage line shows them. */
  readonly options: O;
  /** The word a command takes that is not an option, as help shows it (`<tag>`): only `report` has one. */
  readonly positional?: string;
  run(context: CommandContext<O>): Promise<number>;
}

/** A command line parsed against one command's definition. */
export interface ParsedCommand<O extends OptionSpecs = OptionSpecs> {
  command: string;
  values: OptionValues<CommonOptions & O>;
  positionals: string[];
  migrationsDir: string;
  json: boolean;
  verbose: boolean;
  help: boolean;
  /** A usage error that shows this command's usage. */
  usageError(message: string): JamDbError;
}

export interface CommandContext<O extends OptionSpecs = OptionSpecs> {
  args: ParsedCommand<O>;
  out: Output;
  target: Target;
}

/**
 * Keeps the option types of a definition, so `run` reads typed values: the
 * context's type is inferred from the options literal written beside it.
 */
export const defineCommand = <const O extends OptionSpecs>(
  definition: CommandDefinition<O>,
): CommandDefinition<O> => definition;

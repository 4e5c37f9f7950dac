import { isAbsolute, join, resolve } from 'node:path';
import type { JamDbError } from '../errors.js';
import { packageRoot } from '../package-root.js';
import { userCwd } from '../target/target.js';
import type { CommandDefinition, ParsedCommand } from './command.js';
import { commonOptions, type OptionSpecs, parseOptions, type UsageErrorOf } from './options.js';
import { closestName } from './suggest.js';
import { usageError } from './usage.js';

/** The package's own migrations folder, wherever the command was started. */
export const defaultMigrationsDir = (): string => join(packageRoot(), 'migrations');

/** Whether the words after `jam-db` ask for the overview instead of a command. */
export const asksForOverview = (name: string | undefined): boolean =>
  name === undefined || name === '--help' || name === '-h' || name === 'help';

/** The message for a first word that names no command, with the nearest command when one is close. */
export function unknownCommandMessage(name: string, known: readonly string[]): string {
  if (name.startsWith('-')) return `Expected a command before ${name}.`;
  const suggestion = closestName(name, known);
  return `Unknown command "${name}".${suggestion === null ? '' : ` Did you mean ${suggestion}?`}`;
}

/** The options after the command's name, checked against its definition. */
export function parseCommand<O extends OptionSpecs>(
  definition: CommandDefinition<O>,
  args: string[],
): ParsedCommand<O> {
  const wrongUsage = (message: string): JamDbError => usageError(message, definition);
  const { values, positionals, given } = parseOptions(
    { ...commonOptions, ...definition.options },
    args,
    definition.positional !== undefined,
    wrongUsage,
  );
  // `--help` shows the usage even where the command line is incomplete.
  if (!values.help) checkCombination(definition, given, wrongUsage);
  const migrations = values.migrations;
  return {
    command: definition.name,
    values,
    positionals,
    migrationsDir:
      migrations === undefined
        ? defaultMigrationsDir()
        : isAbsolute(migrations)
          ? migrations
          : resolve(userCwd(), migrations),
    json: values.json,
    verbose: values.verbose,
    help: values.help,
    usageError: wrongUsage,
  };
}

/** The options a command cannot run without, those that go with another, and the pairs it takes only one of. */
function checkCombination(
  { name, options }: CommandDefinition,
  given: ReadonlySet<string>,
  usageError: UsageErrorOf,
): void {
  for (const [option, spec] of Object.entries(options)) {
    if (spec.kind === 'text' && spec.required !== undefined && !given.has(option))
      throw usageError(`${name} needs --${option} ${spec.value}: ${spec.required}.`);
    if (spec.alternativeTo !== undefined && given.has(option) && given.has(spec.alternativeTo))
      throw usageError(
        `--${option} and --${spec.alternativeTo} cannot be used together; choose one.`,
      );
    if (spec.goesWith !== undefined && given.has(option) && !given.has(spec.goesWith))
      throw usageError(
        `--${option} goes with --${spec.goesWith}: \`jam-db ${name} --${spec.goesWith} --${option}\`.`,
      );
  }
}

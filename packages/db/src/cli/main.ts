import { asksForOverview, parseCommand, unknownCommandMessage } from './args.js';
import type { CommandDefinition } from './command.js';
import { createContext } from './context.js';
import { reportFailure } from './failure-report.js';
import { Output } from './output.js';
import { usage, usageError } from './usage.js';

/**
 * Every command, in the order help lists them. Each module is loaded only when
 * its command runs (tsup gives each its own chunk): a no-op `migrate` must not
 * pay for loading the diagram or the seed.
 */
export const commands = {
  migrate: async () => (await import('./commands/migrate.js')).migrate,
  rollback: async () => (await import('./commands/rollback.js')).rollback,
  status: async () => (await import('./commands/status.js')).status,
  generate: async () => (await import('./commands/generate.js')).generate,
  'generate-down': async () => (await import('./commands/generate-down.js')).generateDown,
  verify: async () => (await import('./commands/verify.js')).verify,
  lint: async () => (await import('./commands/lint.js')).lint,
  check: async () => (await import('./commands/check.js')).check,
  baseline: async () => (await import('./commands/baseline.js')).baseline,
  erd: async () => (await import('./commands/erd.js')).erd,
  report: async () => (await import('./commands/report.js')).report,
  'release-check': async () => (await import('./commands/release-check.js')).releaseCheck,
  seed: async () => (await import('./commands/seed.js')).seed,
} satisfies Record<string, () => Promise<CommandDefinition>>;

export type CommandName = keyof typeof commands;

export const commandNames = Object.keys(commands) as CommandName[];

const isCommandName = (name: string): name is CommandName => Object.hasOwn(commands, name);

/** Every definition, for the overview help. */
export const allCommands = (): Promise<CommandDefinition[]> =>
  Promise.all(commandNames.map((name) => commands[name]()));

export async function main(argv: string[]): Promise<number> {
  // Read before parsing, so a usage error is reported the way the user asked for.
  let options = { verbose: argv.includes('--verbose'), json: argv.includes('--json') };
  try {
    const [name, ...rest] = argv;
    if (asksForOverview(name)) {
      process.stdout.write(`${usage(await allCommands())}\n`);
      return 0;
    }
    if (!isCommandName(name!)) {
      throw usageError(unknownCommandMessage(name!, commandNames), await allCommands());
    }
    const definition = await commands[name]();
    const args = parseCommand(definition, rest);
    if (args.help) {
      process.stdout.write(`${usage(definition)}\n`);
      return 0;
    }
    options = { verbose: args.verbose, json: args.json };
    return await definition.run(createContext(args, new Output(args.json)));
  } catch (error) {
    return reportFailure(error, options);
  }
}

import { parseCommandLine } from './args.js';
import { createContext } from './context.js';
import { reportFailure } from './failure-report.js';
import { Output } from './output.js';
import { type CommandName, usage } from './usage.js';

type Command = (context: ReturnType<typeof createContext>) => Promise<number>;

/** Each command's module is loaded only when that command runs. */
const commands: Record<CommandName, () => Promise<Command>> = {
  migrate: async () => (await import('./commands/migrate.js')).migrateCommand,
  status: async () => (await import('./commands/status.js')).statusCommand,
  rollback: async () => (await import('./commands/rollback.js')).rollbackCommand,
  seed: async () => (await import('./commands/seed.js')).seedCommand,
  generate: async () => (await import('./commands/generate.js')).generateCommand,
  'generate-down': async () => (await import('./commands/generate-down.js')).generateDownCommand,
  verify: async () => (await import('./commands/verify.js')).verifyCommand,
  report: async () => (await import('./commands/report.js')).reportCommand,
  'release-check': async () => (await import('./commands/release-check.js')).releaseCheckCommand,
  lint: async () => (await import('./commands/lint.js')).lintCommand,
  check: async () => (await import('./commands/check.js')).checkCommand,
  baseline: async () => (await import('./commands/baseline.js')).baselineCommand,
  erd: async () => (await import('./commands/erd.js')).erdCommand,
};

export async function main(argv: string[]): Promise<number> {
  // Read before parsing, so a usage error is reported the way the user asked for.
  let options = { verbose: argv.includes('--verbose'), json: argv.includes('--json') };
  try {
    const args = parseCommandLine(argv);
    if (args.command === undefined || args.help) {
      process.stdout.write(`${usage(args.command)}\n`);
      return 0;
    }
    options = { verbose: args.verbose, json: args.json };
    const out = new Output(args.json);
    const run = await commands[args.command]();
    return await run(createContext(args, out));
  } catch (error) {
    return reportFailure(error, options);
  }
}

import { resolveTarget, scrubPassword } from '../client/target.js';
import { isJamDbError } from '../errors.js';
import { parseCommandLine } from './args.js';
import { createContext } from './context.js';
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
  let verbose = argv.includes('--verbose');
  try {
    const args = parseCommandLine(argv);
    if (args.command === undefined || args.help) {
      process.stdout.write(`${usage(args.command)}\n`);
      return 0;
    }
    verbose = args.verbose;
    const out = new Output(args.json);
    const run = await commands[args.command]();
    return await run(createContext(args, out));
  } catch (error) {
    return report(error, verbose);
  }
}

/** One paragraph on stderr: what failed and what to do. The stack only with --verbose. */
function report(error: unknown, verbose: boolean): number {
  const scrub = (text: string) => {
    try {
      return scrubPassword(text, resolveTarget());
    } catch {
      return text;
    }
  };
  if (isJamDbError(error)) {
    const hint = error.hint ? `\n${error.hint}` : '';
    process.stderr.write(`jam-db: ${scrub(error.message)}${hint}\n`);
    if (verbose && error.cause instanceof Error)
      process.stderr.write(`${scrub(error.cause.stack ?? '')}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    `jam-db: unexpected error: ${scrub(message)}\n${verbose ? '' : 'Run again with --verbose for the stack trace.\n'}`,
  );
  if (verbose && error instanceof Error) process.stderr.write(`${scrub(error.stack ?? '')}\n`);
  return 1;
}

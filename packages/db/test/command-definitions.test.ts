import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseCommand, unknownCommandMessage } from '../src/cli/args.js';
import { allCommands, commandNames, commands } from '../src/cli/main.js';
import { closestName } from '../src/cli/suggest.js';
import { usage } from '../src/cli/usage.js';
import { thrown } from './support/thrown.js';

const migrate = await commands.migrate();
const rollback = await commands.rollback();
const lint = await commands.lint();
const report = await commands.report();

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('each command is one definition', () => {
  it('every listed command loads a definition of that name, and help lists them all', async () => {
    const definitions = await allCommands();
    expect(definitions.map((d) => d.name)).toEqual(commandNames);
    const help = usage(definitions);
    for (const definition of definitions) {
      expect(help).toContain(`  ${definition.name}`);
      expect(help).toContain(definition.summary);
    }
  });

  it("a command's usage shows its own line and no other command's", () => {
    const text = usage(rollback);
    expect(text).toMatch(/^usage: jam-db rollback \[--steps <n> \| --to <tag>\]/);
    expect(text).not.toContain('apply pending migrations');
  });
});

describe('parsing against a definition', () => {
  it('gives typed values: flags as booleans, repeated options as lists, absent text as undefined', () => {
    const args = parseCommand(migrate, [
      '--dry-run',
      '--accept-changed',
      '0001_a',
      '--accept-changed',
      '0002_b',
    ]);
    expect(args.command).toBe('migrate');
    expect(args.values['dry-run']).toBe(true);
    expect(args.values['allow-out-of-order']).toBe(false);
    expect(args.values['accept-changed']).toEqual(['0001_a', '0002_b']);
    expect(args.values.to).toBeUndefined();
    expect(args.json).toBe(false);
  });

  it('rejects an option of another command with the usage of this one', () => {
    const error = thrown(() => parseCommand(rollback, ['--allow-out-of-order']));
    expect(error.code).toBe('usage');
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe("Unknown option '--allow-out-of-order'");
    expect(error.hint).toMatch(/^usage: jam-db rollback/);
  });

  it('takes a word that is not an option only where the definition says so', () => {
    expect(parseCommand(report, ['0001_a']).positionals).toEqual(['0001_a']);
    expect(thrown(() => parseCommand(lint, ['0001_a'])).code).toBe('usage');
  });

  it('checks a whole number when the command reads it, naming the flag and its bounds', () => {
    const args = parseCommand(rollback, ['--steps', '0']);
    const error = thrown(() => args.values.steps);
    expect(error.code).toBe('usage');
    expect(error.message).toBe('--steps takes a whole number of at least 1, not "0".');
    expect(error.hint).toMatch(/^usage: jam-db rollback/);
  });

  it('reads a negative number as a wrong value, not as a missing one', () => {
    const args = parseCommand(rollback, ['--steps', '-1']);
    expect(thrown(() => args.values.steps).message).toBe(
      '--steps takes a whole number of at least 1, not "-1".',
    );
  });

  it('takes a whole number from the flag, else its environment variable, else its default', () => {
    expect(parseCommand(migrate, []).values['lock-timeout']).toBe(200);
    expect(parseCommand(migrate, []).values['lock-retries']).toBe(10);
    vi.stubEnv('JAM_DB_LOCK_TIMEOUT', '750');
    expect(parseCommand(migrate, []).values['lock-timeout']).toBe(750);
    expect(parseCommand(migrate, ['--lock-timeout', '20']).values['lock-timeout']).toBe(20);
  });

  it('names a wrong environment variable as a configuration error, unless the flag overrides it', () => {
    vi.stubEnv('JAM_DB_LOCK_WAIT', 'forever');
    const error = thrown(() => parseCommand(migrate, []).values['lock-wait']);
    expect(error.code).toBe('config');
    expect(error.exitCode).toBe(1);
    expect(error.message).toBe(
      'JAM_DB_LOCK_WAIT is "forever"; it takes a whole number from 0 to 2147483.',
    );
    expect(parseCommand(migrate, ['--lock-wait', '5']).values['lock-wait']).toBe(5);
  });

  it('leaves a wait a command never reads unchecked', () => {
    expect(() => parseCommand(lint, ['--lock-wait', 'soon'])).not.toThrow();
  });
});

describe('did you mean', () => {
  it('suggests the nearest command for a typo, and nothing for another word', () => {
    expect(unknownCommandMessage('migrat', commandNames)).toBe(
      'Unknown command "migrat". Did you mean migrate?',
    );
    expect(unknownCommandMessage('frobnicate', commandNames)).toBe('Unknown command "frobnicate".');
    expect(unknownCommandMessage('--json', commandNames)).toBe('Expected a command before --json.');
  });

  it("suggests the nearest of the command's options for a mistyped one", () => {
    expect(thrown(() => parseCommand(migrate, ['--dryrun'])).message).toBe(
      "Unknown option '--dryrun'. Did you mean --dry-run?",
    );
    expect(thrown(() => parseCommand(migrate, ['--frobnicate'])).message).toBe(
      "Unknown option '--frobnicate'",
    );
  });

  it('allows one edit per three letters', () => {
    expect(closestName('stauts', ['status', 'seed'])).toBe('status');
    expect(closestName('sed', ['status', 'seed'])).toBe('seed');
    expect(closestName('xyz', ['status', 'seed'])).toBeNull();
  });
});

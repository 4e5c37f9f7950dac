import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseCommand, unknownCommandMessage } from '../src/cli/args.js';
import { defineCommand } from '../src/cli/command.js';
import { allCommands, commandNames, commands } from '../src/cli/main.js';
import type { OptionSpecs } from '../src/cli/options.js';
import { closestName } from '../src/cli/suggest.js';
import { synopsis, usage } from '../src/cli/usage.js';
import { thrown } from './support/thrown.js';

const migrate = await commands.migrate();
const rollback = await commands.rollback();
const lint = await commands.lint();
const report = await commands.report();
const baseline = await commands.baseline();

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

describe('the usage line is made from the options', () => {
  const described = (options: OptionSpecs, positional?: string) => ({
    name: 'example',
    summary: 'an example',
    options,
    ...(positional === undefined ? {} : { positional }),
  });

  it('brackets what may be left out, marks a repeatable option and shows a value by its placeholder', () => {
    expect(
      synopsis(
        described({
          to: { kind: 'text', value: '<tag>' },
          'dry-run': { kind: 'flag' },
          rename: { kind: 'texts', value: '<old>:<new>' },
          scale: { kind: 'integer', value: '<n>', min: 1 },
        }),
      ),
    ).toBe('[--to <tag>] [--dry-run] [--rename <old>:<new>]… [--scale <n>]');
  });

  it('shows a required option bare, two that exclude each other in one bracket, and the word after them', () => {
    expect(
      synopsis(
        described(
          {
            steps: { kind: 'integer', value: '<n>', min: 1, alternativeTo: 'to' },
            to: { kind: 'text', value: '<tag>' },
            from: { kind: 'text', value: '<tag>', required: 'where to start' },
          },
          '<file>',
        ),
      ),
    ).toBe('[--steps <n> | --to <tag>] --from <tag> <file>');
  });

  it('shows an option that goes with another inside its bracket', () => {
    expect(
      synopsis(
        described({
          fix: { kind: 'flag' },
          'dry-run': { kind: 'flag', goesWith: 'fix' },
          to: { kind: 'text', value: '<tag>' },
        }),
      ),
    ).toBe('[--fix [--dry-run]] [--to <tag>]');
  });

  it("leaves out migrate and rollback's shared options, which help lists once below", () => {
    expect(synopsis(migrate)).toBe(
      '[--to <tag>] [--dry-run] [--contract] [--allow-out-of-order] [--accept-changed <tag>]…',
    );
    expect(synopsis(lint)).toBe('[--fix [--dry-run]]');
    expect(synopsis(report)).toBe('<tag>');
  });

  it('refuses a partner that is no option of the command', () => {
    expect(() => synopsis(described({ steps: { kind: 'flag', alternativeTo: 'count' } }))).toThrow(
      '--steps names --count, which is not an option of the command',
    );
    expect(() => synopsis(described({ 'dry-run': { kind: 'flag', goesWith: 'fix' } }))).toThrow(
      '--dry-run names --fix, which is not an option of the command',
    );
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

  it('refuses a command line without a required option, naming it and what it is, but still shows help', () => {
    const error = thrown(() => parseCommand(baseline, []));
    expect(error.code).toBe('usage');
    expect(error.message).toBe(
      'baseline needs --to <tag>: the newest migration the database already has.',
    );
    expect(error.hint).toMatch(/^usage: jam-db baseline --to <tag> /);
    expect(parseCommand(baseline, ['--help']).help).toBe(true);
    expect(parseCommand(baseline, ['--to', '0001_a']).values.to).toBe('0001_a');
  });

  it('refuses two options that exclude each other, before reading either', () => {
    const error = thrown(() => parseCommand(rollback, ['--steps', '0', '--to', '0001_a']));
    expect(error.code).toBe('usage');
    expect(error.message).toBe('--steps and --to cannot be used together; choose one.');
    expect(parseCommand(rollback, ['--to', '0001_a']).values.steps).toBeUndefined();
  });

  it('refuses an option without the one it goes with, showing how to give both', () => {
    const fixing = defineCommand({
      name: 'tidy',
      summary: 'an example',
      options: { fix: { kind: 'flag' }, 'dry-run': { kind: 'flag', goesWith: 'fix' } },
      run: async () => 0,
    });
    expect(thrown(() => parseCommand(fixing, ['--dry-run'])).message).toBe(
      '--dry-run goes with --fix: `jam-db tidy --fix --dry-run`.',
    );
    expect(parseCommand(fixing, ['--fix', '--dry-run']).values['dry-run']).toBe(true);
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

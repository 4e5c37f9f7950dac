export const commandSummaries = {
  migrate: 'migrate [--to <tag>] [--dry-run]                      apply pending migrations',
  rollback:
    'rollback [--steps <n> | --to <tag>] [--dry-run] [--allow-data-loss]   apply down scripts, newest first',
  status:
    'status                                                 applied and pending migrations (exit 3: pending)',
  generate:
    'generate [--name <name>] [--rename <old>:<new>]…       drizzle-kit generate without prompts',
  'generate-down':
    'generate-down [--force]                                write missing <tag>.down.sql scripts',
  verify:
    'verify                                                 up → down → up on a scratch database',
  lint: 'lint                                                   findings per migration',
  check:
    'check                                                  drift between schema, migrations and database',
  seed: 'seed [--reset] [--scale <n>]                           deterministic seed data',
} as const;

export type CommandName = keyof typeof commandSummaries;

export const isCommandName = (name: string): name is CommandName => name in commandSummaries;

export function usage(command?: CommandName): string {
  const lines = command
    ? [`usage: jam-db ${commandSummaries[command]}`]
    : [
        'usage: jam-db <command> [options]',
        '',
        'commands:',
        ...Object.values(commandSummaries).map((s) => `  ${s}`),
      ];
  return [
    ...lines,
    '',
    'options for every command:',
    '  --migrations <dir>   drizzle-kit migrations folder (default: packages/db/migrations)',
    '  --json               print one JSON document on stdout',
    '  --verbose            print stack traces with errors',
    '  --help               show this help',
    '',
    'DATABASE_URL chooses the database: unset = embedded PGlite in .jam/pglite,',
    'pglite:<dir> | pglite:memory, postgres://… (node-postgres), *.neon.tech or JAM_DB_DRIVER=neon (Neon).',
  ].join('\n');
}

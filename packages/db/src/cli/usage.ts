export const commandSummaries = {
  migrate:
    'migrate [--to <tag>] [--dry-run] [--allow-out-of-order] [--accept-changed <tag>]…   apply pending migrations',
  rollback:
    'rollback [--steps <n> | --to <tag>] [--dry-run] [--allow-data-loss]   apply down scripts, newest first',
  status:
    'status                                                 applied and pending migrations (exit 3: pending)',
  generate:
    'generate [--name <name>] [--rename <old>:<new>]… [--created <name>]… [--schema <module.js>]   drizzle-kit generate without prompts',
  'generate-down':
    'generate-down [--force]                                write missing <tag>.down.sql scripts',
  verify:
    'verify [--from <tag>] [--to <tag>] [--allow-manual]     up → down → up on a scratch database; exact / manual / wrong per migration',
  lint: 'lint                                                   findings per migration',
  check:
    'check [--schema <module.js>]                           drift between schema, migrations and database',
  baseline:
    'baseline --to <tag>                                    adopt an existing database: verify its schema, record migrations up to <tag>',
  erd: 'erd [--out <dir>] [--schema <module.js>] [--check]    write the schema diagram (Mermaid and SVG)',
  report:
    'report <tag>                                           markdown review of one migration for a pull request',
  'release-check':
    'release-check [--since <ref>]                         changeset bump covers the new migrations (pnpm release:check)',
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
    '  --lock-wait <s>      wait this long for another run to finish (default 60, env JAM_DB_LOCK_WAIT)',
    '  --connect-timeout <s>  give up connecting after this long (default 10, env JAM_DB_CONNECT_TIMEOUT)',
    'options of migrate and rollback:',
    '  --lock-timeout <ms>  PostgreSQL lock_timeout per statement (default 5000, env JAM_DB_LOCK_TIMEOUT)',
    '  --lock-retries <n>   tries again after a lock timeout, pausing 0.5 s, 1 s, 2 s… (default 3)',
    '  --help               show this help',
    '',
    'DATABASE_URL chooses the database: unset = embedded PGlite in .jam/pglite,',
    'pglite:<dir> | pglite:memory, postgres://… (node-postgres), *.neon.tech or JAM_DB_DRIVER=neon (Neon).',
  ].join('\n');
}

import { resolve } from 'node:path';
import { checkDrift, type DriftReport } from '../../drift/check-drift.js';
import { openLiveSession } from '../../drift/live-session.js';
import { describeDifference } from '../../drift/schema-differences.js';
import { loadSchemaModule, ownSchemaModule } from '../../drift/schema-module.js';
import { readMigrationFolder } from '../../drizzle-kit/migration-folder.js';
import { defaultMigrationsDir } from '../args.js';
import { defineCommand } from '../command.js';
import { liveSessionOptions } from '../context.js';
import { formatDuration, type Output } from '../output.js';

export const check = defineCommand({
  name: 'check',
  summary: 'drift between schema, migrations and database',
  options: { schema: { kind: 'text', value: '<module.js>' } },
  async run(context) {
    const { args, out, target } = context;
    const live = liveSessionOptions(context);
    const folder = readMigrationFolder(args.migrationsDir);
    const report = await checkDrift({
      target,
      folder,
      schema: await schemaToCompare(args.values.schema, args.migrationsDir),
      openLive: () => openLiveSession(live),
    });
    if (args.json) out.document(driftDocument(report));
    else printReport(out, report);
    return report.ok ? 0 : 1;
  },
});

/**
 * @jam/db's own schema goes with @jam/db's own migrations; another project's
 * folder is compared with its TypeScript schema only when --schema names it.
 */
async function schemaToCompare(file: string | undefined, migrationsDir: string) {
  if (file !== undefined) return loadSchemaModule(file);
  if (resolve(migrationsDir) === resolve(defaultMigrationsDir()))
    return loadSchemaModule(ownSchemaModule());
  return {
    skipped:
      '--migrations names another folder than @jam/db’s own; pass --schema <module.js> to compare its TypeScript schema too',
  };
}

function driftDocument(report: DriftReport) {
  return {
    ok: report.ok,
    typescript: report.typescript,
    database: report.database,
    durationMs: Math.round(report.durationMs),
  };
}

function printReport(out: Output, report: DriftReport): void {
  const { typescript, database } = report;
  out.line(`Checking drift on ${database.database}`);
  switch (typescript.status) {
    case 'in-sync':
      out.line('  TypeScript schema vs migrations: in sync');
      break;
    case 'skipped':
      out.line(`  TypeScript schema vs migrations: skipped: ${typescript.reason}`);
      break;
    case 'pending':
      out.line(
        '  TypeScript schema vs migrations: DRIFT: the schema has changes no migration holds yet; run `pnpm db:generate`. It would write:',
      );
      for (const statement of typescript.statements)
        out.line(statement.trim().replace(/^/gm, '      '));
  }
  const where = `${database.applied.length} applied migration(s), built on ${database.scratch}`;
  if (database.differences.length === 0) {
    out.line(`  Migrations vs database (${where}): in sync`);
  } else {
    out.line(
      `  Migrations vs database (${where}): DRIFT: ${database.differences.length} difference(s):`,
    );
    for (const difference of database.differences)
      out.line(`      ${describeDifference(difference)}`);
    if (database.applied.length === 0)
      out.line(
        '    No migration is recorded in this database. If it was built by hand or by another tool, adopt it with `pnpm db:baseline --to <tag>`.',
      );
  }
  for (const problem of database.history) out.line(`  History: ${problem}`);
  if (database.pending.length > 0)
    out.line(
      `  Pending (not drift; \`pnpm db:migrate\` applies them): ${database.pending.join(', ')}`,
    );
  out.line();
  const took = formatDuration(report.durationMs);
  out.line(
    report.ok
      ? `No drift: the schema, the migrations and the database agree (${took}).`
      : `Drift found (${took}): see above.`,
  );
}

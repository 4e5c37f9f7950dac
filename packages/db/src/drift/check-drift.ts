import { describeTarget, type Target } from '../client/target.js';
import type { Migration, MigrationFolder } from '../drizzle-kit/migration-folder.js';
import type { Session } from '../engines/session.js';
import { readSchemaFacts } from '../introspect/schema-facts.js';
import { compareHistory } from '../migrations/history.js';
import { readAppliedRows } from '../migrations/tracking.js';
import { schemaProducedBy } from './expected-schema.js';
import { compareSchemas, type SchemaDifference } from './schema-differences.js';
import { type TypeScriptDrift, typescriptDrift } from './typescript-drift.js';

export interface DatabaseDrift {
  database: string;
  /** Where the schema of the applied migrations was built. */
  scratch: string;
  applied: string[];
  /** Not drift: `migrate` applies them. Listed so the report is complete. */
  pending: string[];
  /** Where the database's record of applied migrations and the folder disagree. */
  history: string[];
  differences: SchemaDifference[];
}

export interface DriftReport {
  typescript: TypeScriptDrift;
  database: DatabaseDrift;
  ok: boolean;
  durationMs: number;
}

export interface CheckOptions {
  target: Target;
  folder: MigrationFolder;
  /** The TypeScript schema module, or why it is not compared. */
  schema: Record<string, unknown> | { skipped: string };
  openLive: () => Promise<Session>;
}

/**
 * Three-way drift: the TypeScript schema against the migrations folder, and the
 * live database against the schema its applied migrations produce.
 */
export async function checkDrift(options: CheckOptions): Promise<DriftReport> {
  const started = performance.now();
  const typescript: TypeScriptDrift =
    'skipped' in options.schema && typeof options.schema.skipped === 'string'
      ? { status: 'skipped', reason: options.schema.skipped }
      : await typescriptDrift(options.folder, options.schema);
  const database = await databaseDrift(options);
  const ok =
    typescript.status !== 'pending' &&
    database.history.length === 0 &&
    database.differences.length === 0;
  return { typescript, database, ok, durationMs: performance.now() - started };
}

async function databaseDrift({ target, folder, openLive }: CheckOptions): Promise<DatabaseDrift> {
  const live = await openLive();
  let rows: Awaited<ReturnType<typeof readAppliedRows>>;
  let actual: Awaited<ReturnType<typeof readSchemaFacts>>;
  try {
    rows = await readAppliedRows(live);
    actual = await readSchemaFacts(live);
  } finally {
    await live.close().catch(() => undefined);
  }
  const history = compareHistory(folder.migrations, rows);
  // The migrations the database says it ran, in the order it ran them; an
  // edited file is applied as it is now, and the edit is reported.
  const ran: { migration: Migration; id: number }[] = [
    ...history.applied.map(({ migration, row }) => ({ migration, id: row.id })),
    ...history.changed.map(({ migration, row }) => ({ migration, id: row.id })),
  ].sort((a, b) => a.id - b.id);
  const expected = await schemaProducedBy(
    target,
    folder,
    ran.map((r) => r.migration),
  );
  return {
    database: describeTarget(target),
    scratch: expected.scratch,
    applied: ran.map((r) => r.migration.tag),
    pending: history.pending.map((m) => m.tag),
    history: [
      ...history.changed.map(
        ({ migration }) =>
          `${migration.tag}: its file changed since it was applied (compared as the file is now)`,
      ),
      ...history.unknown.map(
        (row) =>
          `${row.tag ?? `drizzle id ${row.id} (hash ${row.hash.slice(0, 12)})`}: recorded as applied, but the migrations folder does not have it (left out of the comparison)`,
      ),
    ],
    differences: compareSchemas(expected.facts, actual),
  };
}

import packageJson from '../../package.json' with { type: 'json' };
import type { Target } from '../client/target.js';
import { schemaProducedBy } from '../drift/expected-schema.js';
import { compareSchemas, describeDifference } from '../drift/schema-differences.js';
import type { MigrationFolder } from '../drizzle-kit/migration-folder.js';
import type { Session } from '../engines/session.js';
import { JamDbError } from '../errors.js';
import { readSchemaFacts } from '../introspect/schema-facts.js';
import { readDownScript } from '../migrations/down-script.js';
import { withMigrationLock } from '../migrations/lock.js';
import { ensureTrackingTables, readAppliedRows, recordApplied } from '../migrations/tracking.js';

export interface BaselineOptions {
  target: Target;
  folder: MigrationFolder;
  /** The newest migration whose schema the database already has. */
  to: string;
  lockWaitMs: number;
  openLive: () => Promise<Session>;
  /** Called once the tag is known to exist, before the (slower) comparison. */
  onCompare?: () => void;
}

export interface BaselineResult {
  recorded: string[];
  /** What `migrate` will apply next. */
  pending: string[];
  scratch: string;
}

/**
 * Adopts a database built by hand or by another tool: when its schema is
 * exactly the one the migrations up to `to` produce, those migrations are
 * recorded as applied (in drizzle's table and ours, one transaction, under the
 * migration lock), so `migrate` continues from there. Anything else is refused.
 */
export async function baselineDatabase(options: BaselineOptions): Promise<BaselineResult> {
  const { folder, to } = options;
  const position = folder.migrations.findIndex((m) => m.tag === to);
  if (position < 0) {
    const tags = folder.migrations.map((m) => m.tag);
    throw new JamDbError(
      'usage',
      `--to ${to}: no migration with that tag in ${folder.dir}.`,
      tags.length > 0 ? `Known tags: ${tags.join(', ')}.` : 'The folder holds no migrations yet.',
    );
  }
  const adopted = folder.migrations.slice(0, position + 1);
  options.onCompare?.();
  const live = await options.openLive();
  try {
    return await withMigrationLock(live, options.lockWaitMs, async () => {
      await refuseRecordedMigrations(live);
      const actual = await readSchemaFacts(live);
      const expected = await schemaProducedBy(options.target, folder, adopted);
      const differences = compareSchemas(expected.facts, actual);
      if (differences.length > 0) {
        throw new JamDbError(
          'schema-drift',
          `The database does not match the schema the migrations up to ${to} produce, so nothing was recorded. ${differences.length} difference(s):\n${differences.map((d) => `  ${describeDifference(d)}`).join('\n')}`,
          'Bring the database in line (or choose the tag whose schema it has) and run baseline again; `pnpm db:check` shows the same comparison.',
        );
      }
      await live.exec('BEGIN');
      try {
        await ensureTrackingTables(live, folder.layout);
        await recordApplied(
          live,
          adopted.map((migration) => ({
            migration,
            durationMs: 0,
            downHash: readDownScript(folder.dir, migration.tag)?.hash ?? null,
          })),
          packageJson.version,
        );
        await live.exec('COMMIT');
      } catch (error) {
        await live.exec('ROLLBACK').catch(() => undefined);
        throw error;
      }
      return {
        recorded: adopted.map((m) => m.tag),
        pending: folder.migrations.slice(position + 1).map((m) => m.tag),
        scratch: expected.scratch,
      };
    });
  } finally {
    await live.close().catch(() => undefined);
  }
}

/** A baseline on top of a recorded history would claim migrations ran that did not, or twice. */
async function refuseRecordedMigrations(live: Session): Promise<void> {
  const rows = await readAppliedRows(live);
  if (rows.length === 0) return;
  const newest = rows.at(-1)!;
  throw new JamDbError(
    'already-migrated',
    `The database already records ${rows.length} applied migration(s) in drizzle.__drizzle_migrations (newest: ${newest.tag ?? `drizzle id ${newest.id}`}); baseline adopts only a database with none recorded. Nothing was recorded.`,
    'Run `pnpm db:status` to see them and `pnpm db:migrate` to continue from there; `pnpm db:check` compares the schema with them.',
  );
}

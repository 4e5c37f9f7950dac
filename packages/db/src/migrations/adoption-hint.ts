import type { MigrationFolder } from '../drizzle-kit/migration-folder.js';
import { JamDbError } from '../errors.js';
import type { History } from './history.js';

/** duplicate_table, duplicate_object, duplicate_column, duplicate_schema, duplicate_function. */
const alreadyExists = new Set(['42P07', '42710', '42701', '42P06', '42723']);

const readmeSection = 'README.md, "Drift, adoption and the diagram"';

/**
 * A migration that fails because its objects already exist usually means the
 * schema was built outside jam-db: by hand, by `drizzle-kit push`, or from a
 * dump. Running the migrations cannot fix that; adopting the database can.
 */
export function withAdoptionHint(
  error: unknown,
  history: History,
  folder: MigrationFolder,
): unknown {
  if (!(error instanceof JamDbError) || error.code !== 'migration-failed') return error;
  const sqlState = (error.cause as { code?: string } | undefined)?.code;
  if (sqlState === undefined || !alreadyExists.has(sqlState)) return error;
  const lastTag = folder.migrations.at(-1)?.tag ?? '<tag>';
  const hint =
    history.applied.length === 0
      ? `The database already has objects this migration creates, but records no migration: it was built outside jam-db (by hand, drizzle-kit push or a dump). Adopt it instead of migrating: \`pnpm db:baseline --to ${lastTag}\`, or the tag whose schema it has if it is older; baseline compares the schema first and records nothing if it differs. See ${readmeSection}.`
      : `The database already has objects this migration creates: they were made outside jam-db after the last recorded migration. \`pnpm db:check\` lists the differences; drop the stray objects or fold them into the migration, then run \`pnpm db:migrate\` again. See ${readmeSection}.`;
  return new JamDbError(error.code, error.message, hint, { cause: error.cause });
}

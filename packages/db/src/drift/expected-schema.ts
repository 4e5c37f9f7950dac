import type { Target } from '../client/target.js';
import type { Migration, MigrationFolder } from '../drizzle-kit/migration-folder.js';
import { isJamDbError, JamDbError } from '../errors.js';
import { readSchemaFacts, type SchemaFacts } from '../introspect/schema-facts.js';
import { extensionsCreatedBy } from '../migrations/extensions.js';
import { Migrator } from '../migrations/migrator.js';
import { openScratchDatabase } from '../verify/scratch-database.js';

export interface ExpectedSchema {
  facts: SchemaFacts;
  /** Where it was built, for messages: "an in-memory PGlite", "a temporary database …". */
  scratch: string;
}

/**
 * The schema `migrations` produce, in the given order, read the same way as the
 * live database. Built on a scratch database of the same engine as `home` (a
 * temporary database on the same server for PostgreSQL), because PGlite's
 * catalog prints some definitions differently from PostgreSQL 15's.
 */
export async function schemaProducedBy(
  home: Target,
  folder: MigrationFolder,
  migrations: Migration[],
): Promise<ExpectedSchema> {
  const scratch = await openScratchDatabase(home, { extensions: extensionsCreatedBy(migrations) });
  try {
    const migrator = new Migrator({
      target: scratch.target,
      folder: { ...folder, migrations },
      connection: scratch.session,
    });
    try {
      await migrator.migrate({ allowOutOfOrder: true });
    } catch (error) {
      if (!isJamDbError(error)) throw error;
      throw new JamDbError(
        error.code,
        `Could not build the schema the migrations produce on ${scratch.description}: ${error.message}`,
        error.hint,
        { cause: error },
      );
    }
    return { facts: await readSchemaFacts(scratch.session), scratch: scratch.description };
  } finally {
    await scratch.drop().catch(() => undefined);
  }
}

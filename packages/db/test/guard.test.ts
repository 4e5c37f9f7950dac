import { describe, expect, it } from 'vitest';
import { createDb } from '../src/client/create-db.js';
import { readMigrationFolder } from '../src/drizzle-kit/migration-folder.js';
import { assertSchemaCurrent } from '../src/guard/assert-schema-current.js';
import { Migrator } from '../src/migrations/migrator.js';
import { packageMigrations } from './support/cli.js';
import {
  type EngineName,
  enginesUnderTest,
  useNeonProxy,
  useScratchDatabase,
} from './support/databases.js';
import { closeHeldPglites } from './support/pglite-handles.js';

describe.each(enginesUnderTest)('assertSchemaCurrent on %s', (engine: EngineName) => {
  if (engine === 'neon') useNeonProxy();
  const scratch = useScratchDatabase(engine);

  const migrate = (to?: string) =>
    new Migrator({
      target: scratch.target,
      folder: readMigrationFolder(packageMigrations),
    }).migrate({ to });

  async function guard(): Promise<unknown> {
    await closeHeldPglites();
    const jam = await createDb({ target: scratch.target });
    try {
      await assertSchemaCurrent(jam);
      return null;
    } catch (error) {
      return error;
    } finally {
      await jam.close();
    }
  }

  it('fails fast on a database that lacks migrations, and passes once migrated', async () => {
    await migrate('0000_baseline');
    const behind = (await guard()) as { code: string; message: string; hint: string };
    expect(behind.code).toBe('not-migrated');
    expect(behind.message).toMatch(/lacks \d+ migration\(s\) this code expects \(0001_jam-001/);
    expect(behind.hint).toMatch(/pnpm db:migrate/);
    await migrate();
    expect(await guard()).toBeNull();
  });

  it('fails fast on a database migrated by newer code', async () => {
    await migrate();
    await scratch.sql(
      `INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ('${'f'.repeat(64)}', 9999999999999);
       INSERT INTO drizzle.__jam_migrations (drizzle_id, tag, hash, duration_ms, package_version)
       SELECT max(id), '0099_future', '${'f'.repeat(64)}', 1, '9.0.0' FROM drizzle.__drizzle_migrations`,
    );
    const ahead = (await guard()) as { code: string; message: string };
    expect(ahead.code).toBe('schema-ahead');
    expect(ahead.message).toMatch(
      /has migrations this code does not know \(0099_future\): it was migrated by @jam\/db 9\.0\.0/,
    );
  });
});

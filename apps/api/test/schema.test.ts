import { readMigrationFolder } from '@jam/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { migrationsDir, openPgliteTestDb, type TestDatabase } from './support/test-databases.js';

describe('GET /schema on a database behind the code', () => {
  const [first, ...rest] = readMigrationFolder(migrationsDir).migrations.map((m) => m.tag);
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openPgliteTestDb(first);
  });
  afterAll(() => database?.dispose());

  it('lists what the database lacks as pending, in folder order', async () => {
    const response = await createApp(database).request('/schema');
    expect(response.status).toBe(200);
    const { migrations } = (await response.json()) as {
      migrations: { applied: { tag: string }[]; pending: { tag: string }[] };
    };
    expect(migrations.applied.map((m) => m.tag)).toEqual([first]);
    expect(migrations.pending).toEqual(rest.map((tag) => ({ tag })));
  });
});

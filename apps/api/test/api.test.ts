import { createRequire } from 'node:module';
import { programs, readMigrationFolder } from '@jam/db';
import type { NewProgram } from '@jam/db/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import {
  migrationsDir,
  openPgliteTestDb,
  openPostgresTestDb,
  type TestDatabase,
} from './support/test-databases.js';

const jamDbVersion = (createRequire(import.meta.url)('@jam/db/package.json') as { version: string })
  .version;

const seedPrograms: NewProgram[] = [
  {
    slug: 'spring-jam',
    name: 'Spring Jam',
    status: 'published',
    startsAt: new Date('2026-04-01T09:00:00Z'),
    endsAt: new Date('2026-04-30T18:00:00Z'),
    tracks: ['web', 'games'],
  },
  {
    slug: 'autumn-jam',
    name: 'Autumn Jam',
    status: 'draft',
    startsAt: new Date('2026-04-01T09:00:00Z'),
  },
  {
    slug: 'winter-jam',
    name: 'Winter Jam',
    status: 'active',
    description: 'Builds in the snow.',
    organizer: 'Jam Crew',
    applicationUrl: 'https://jam.example/apply',
    startsAt: new Date('2026-01-10T09:00:00Z'),
    endsAt: new Date('2026-02-20T18:00:00Z'),
    submissionDeadline: new Date('2026-02-15T23:59:00Z'),
  },
];

/** The same behaviour on every engine the API may run on. */
function describeApi(openDatabase: () => Promise<TestDatabase>) {
  let database: TestDatabase;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    database = await openDatabase();
    await database.db.insert(programs).values(seedPrograms);
    app = createApp(database);
  });
  afterAll(() => database?.dispose());

  it('GET /health answers ok', async () => {
    const response = await app.request('/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('GET /programs lists programs by start date, then name', async () => {
    const response = await app.request('/programs');
    expect(response.status).toBe(200);
    const body = (await response.json()) as Array<Record<string, unknown>>;
    expect(body.map((program) => program.slug)).toEqual(['winter-jam', 'autumn-jam', 'spring-jam']);
  });

  it('GET /programs sends the public fields only, dates as ISO strings', async () => {
    const response = await app.request('/programs');
    const [winter] = (await response.json()) as Array<Record<string, unknown>>;
    expect(winter).toEqual({
      id: expect.any(String),
      slug: 'winter-jam',
      name: 'Winter Jam',
      description: 'Builds in the snow.',
      status: 'active',
      startsAt: '2026-01-10T09:00:00.000Z',
      endsAt: '2026-02-20T18:00:00.000Z',
      organizer: 'Jam Crew',
      applicationUrl: 'https://jam.example/apply',
      submissionDeadline: '2026-02-15T23:59:00.000Z',
      tracks: null,
    });
  });

  it('GET /schema answers the diagram and, without a token, every migration of @jam/db as applied', async () => {
    const response = await app.request('/schema');
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      diagram: { svg: string; mermaid: string };
      migrations: {
        applied: { tag: string; appliedAt: string | null }[];
        pending: { tag: string }[];
        lastMigratedBy: string | null;
      };
    };
    expect(body.diagram.svg.startsWith('<svg')).toBe(true);
    expect(body.diagram.mermaid).toMatch(/^erDiagram/m);
    expect(body.migrations.applied.map((m) => m.tag)).toEqual(
      readMigrationFolder(migrationsDir).migrations.map((m) => m.tag),
    );
    for (const { appliedAt } of body.migrations.applied) {
      expect(new Date(appliedAt!).toISOString()).toBe(appliedAt);
    }
    expect(body.migrations.pending).toEqual([]);
    expect(body.migrations.lastMigratedBy).toBe(jamDbVersion);
  });

  it('an unknown route answers 404 in the error shape', async () => {
    const response = await app.request('/nope');
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { code: 'not_found', message: 'There is no route GET /nope.' },
    });
  });
}

describe('API on PGlite', () => {
  describeApi(openPgliteTestDb);
});

const postgresUrl = process.env.TEST_DATABASE_URL;
if (!postgresUrl) {
  console.warn(
    'Skipping "API on PostgreSQL": TEST_DATABASE_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/postgres).',
  );
}
describe.skipIf(!postgresUrl)('API on PostgreSQL', () => {
  describeApi(() => openPostgresTestDb(postgresUrl!));
});

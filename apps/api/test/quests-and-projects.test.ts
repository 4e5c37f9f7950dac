import { seed } from '@jam/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { call, expectError } from './support/requests.js';
import {
  openPgliteTestDb,
  openPostgresTestDb,
  type TestDatabase,
} from './support/test-databases.js';

/** Ids of the seed's demo rows (see packages/db/src/seed/demo-data.ts). */
const programId = (n: number) => `5eed0002-0000-4000-8000-${String(n).padStart(12, '0')}`;
const questId = (program: number, slot: number) =>
  `5eed0003-0000-4000-8000-${String(program * 64 + slot).padStart(12, '0')}`;

const evergreen = programId(0);
const summerHack = programId(1);
const missingId = '00000000-0000-4000-8000-00000000dead';
/** Evergreen quests Linus has not taken, one he has in progress, one he completed. */
const [readAPaper, loadTest, designDoc, sqlCourse] = [
  questId(0, 3),
  questId(0, 5),
  questId(0, 1),
  questId(0, 4),
];
const [summerMap, springController] = [questId(1, 0), questId(2, 0)];

/** A fixed "now": the evergreen quests are open, Summer Hack 2024 is over, Spring Build 2031 not begun. */
const now = new Date('2026-06-15T12:00:00.000Z');

function describeQuestsAndProjects(openDatabase: () => Promise<TestDatabase>) {
  let database: TestDatabase;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    database = await openDatabase();
    await seed(database.db, { scale: 60 });
    app = createApp(database, { now: () => now });
  });
  afterAll(() => database?.dispose());

  describe('POST /quests/:id/start', () => {
    it('answers 201 with the new quest, in progress, and lists it in /me/quests', async () => {
      const { status, body } = await call(app, 'POST', `/quests/${readAPaper}/start`, {
        as: 'linus',
      });
      expect(status).toBe(201);
      expect(body).toEqual({
        id: expect.any(String),
        questId: readAPaper,
        status: 'in_progress',
        completedAt: null,
        submissionText: null,
        submissionUrls: null,
        updatedAt: expect.any(String),
      });
      const mine = await call(app, 'GET', '/me/quests', { as: 'linus' });
      expect(mine.body.find((q: { questId: string }) => q.questId === readAPaper)).toMatchObject({
        status: 'in_progress',
        open: true,
      });
    });

    it('accepts an empty JSON object as the body', async () => {
      const answer = await call(app, 'POST', `/quests/${loadTest}/start`, {
        as: 'margaret',
        body: {},
      });
      expect(answer.status).toBe(201);
    });

    it('answers 409 already_taken for a quest the participant has in progress', async () => {
      expectError(
        await call(app, 'POST', `/quests/${designDoc}/start`, { as: 'linus' }),
        409,
        'already_taken',
        /took "Write a one-page design doc" already/,
      );
    });

    it('answers 409 already_completed for a quest the participant completed', async () => {
      const before = await call(app, 'GET', '/me/quests', { as: 'linus' });
      expectError(
        await call(app, 'POST', `/quests/${sqlCourse}/start`, { as: 'linus' }),
        409,
        'already_completed',
      );
      const after = await call(app, 'GET', '/me/quests', { as: 'linus' });
      expect(after.body).toEqual(before.body);
    });

    it('answers 409 quest_closed for a quest that closed or has not opened', async () => {
      expectError(
        await call(app, 'POST', `/quests/${summerMap}/start`, { as: 'linus' }),
        409,
        'quest_closed',
        /closed on 2024-07-26/,
      );
      expectError(
        await call(app, 'POST', `/quests/${springController}/start`, { as: 'linus' }),
        409,
        'quest_closed',
        /opens on 2031-03-03/,
      );
    });

    it('answers 403 to anyone but a participant', async () => {
      expectError(
        await call(app, 'POST', `/quests/${readAPaper}/start`, { as: 'grace' }),
        403,
        'forbidden',
        /Only participants/,
      );
    });

    it('answers 401 without a token', async () => {
      expectError(await call(app, 'POST', `/quests/${readAPaper}/start`), 401, 'unauthorized');
    });

    it('answers 404 for a quest that does not exist and 400 for an id that is not a UUID', async () => {
      expectError(
        await call(app, 'POST', `/quests/${missingId}/start`, { as: 'linus' }),
        404,
        'not_found',
      );
      expectError(
        await call(app, 'POST', '/quests/7/start', { as: 'linus' }),
        400,
        'invalid_request',
        /not a valid id/,
      );
    });

    it('answers 400 for a body with fields and for malformed JSON', async () => {
      expectError(
        await call(app, 'POST', `/quests/${loadTest}/start`, {
          as: 'linus',
          body: { status: 'completed' },
        }),
        400,
        'invalid_request',
      );
      expectError(
        await call(app, 'POST', `/quests/${loadTest}/start`, { as: 'linus', rawBody: '{' }),
        400,
        'invalid_json',
      );
    });

    it('gives exactly one of two concurrent starts the quest', async () => {
      const answers = await Promise.all([
        call(app, 'POST', `/quests/${loadTest}/start`, { as: 'linus' }),
        call(app, 'POST', `/quests/${loadTest}/start`, { as: 'linus' }),
      ]);
      expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    });
  });

  describe('GET /projects', () => {
    it("lists projects with their program's name and their owner's name, never the email", async () => {
      const { status, body } = await call(app, 'GET', '/projects?limit=500');
      expect(status).toBe(200);
      const questTracker = body.find((p: { name: string }) => p.name === 'Quest Tracker');
      expect(questTracker).toEqual({
        id: expect.any(String),
        programId: evergreen,
        programName: 'Evergreen Jam',
        name: 'Quest Tracker',
        description: expect.any(String),
        repositoryUrl: 'https://github.com/linus-demo/quest-tracker',
        videoUrl: 'https://video.example/quest-tracker',
        productionUrl: 'https://quest-tracker.example',
        website: 'https://linus-demo.example',
        createdAt: '2025-01-02T00:00:00.000Z',
        owner: { id: expect.any(String), name: 'Linus Participant' },
      });
      expect(JSON.stringify(body)).not.toContain('@');
    });

    it("filters by program: Summer Hack 2024's projects", async () => {
      const { body } = await call(app, 'GET', `/projects?programId=${summerHack}`);
      expect(body.map((p: { name: string }) => p.name)).toContain('Bike Lane Map');
      for (const project of body) expect(project.programId).toBe(summerHack);
    });

    it('pages with limit and offset', async () => {
      const all = (await call(app, 'GET', '/projects?limit=500')).body;
      expect(all.length).toBeGreaterThan(2);
      const page = (await call(app, 'GET', '/projects?limit=2&offset=1')).body;
      expect(page).toEqual(all.slice(1, 3));
    });

    it('answers an empty list for a program without projects', async () => {
      expect((await call(app, 'GET', `/projects?programId=${missingId}`)).body).toEqual([]);
    });

    it.each([
      ['programId=abc', /programId/],
      ['limit=0', /limit/],
      ['offset=-1', /offset/],
      ['owner=linus', /owner|Unrecognized|unrecognized/],
    ])('answers 400 for %s', async (query, message) => {
      expectError(await call(app, 'GET', `/projects?${query}`), 400, 'invalid_request', message);
    });
  });
}

describe('taking quests and listing projects on PGlite', () => {
  describeQuestsAndProjects(openPgliteTestDb);
});

const postgresUrl = process.env.TEST_DATABASE_URL;
describe.skipIf(!postgresUrl)(
  postgresUrl
    ? 'taking quests and listing projects on PostgreSQL'
    : 'taking quests and listing projects on PostgreSQL (skipped: TEST_DATABASE_URL unset)',
  () => {
    describeQuestsAndProjects(() => openPostgresTestDb(postgresUrl!));
  },
);

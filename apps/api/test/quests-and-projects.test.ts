import { describe, expect, it } from 'vitest';
import { fixedNow, missingId, programId, questId } from './support/demo-rows.js';
import { call, expectError } from './support/requests.js';
import { describeOnEachEngine, type OpenDatabase, useSeededApp } from './support/seeded-app.js';

const evergreen = programId(0);
const summerHack = programId(1);
/** Evergreen quests Linus has not taken, one he has in progress, one he completed. */
const [readAPaper, loadTest, designDoc, sqlCourse] = [
  questId(0, 3),
  questId(0, 5),
  questId(0, 1),
  questId(0, 4),
];
const [summerMap, springController] = [questId(1, 0), questId(2, 0)];

function describeQuestsAndProjects(open: OpenDatabase) {
  const seeded = useSeededApp(open, { scale: 60, now: () => fixedNow });

  describe('POST /quests/:id/start', () => {
    it('answers 201 with the new quest, in progress, and lists it in /me/quests', async () => {
      const { status, body } = await call(seeded.app, 'POST', `/quests/${readAPaper}/start`, {
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
      const mine = await call(seeded.app, 'GET', '/me/quests', { as: 'linus' });
      expect(mine.body.find((q: { questId: string }) => q.questId === readAPaper)).toMatchObject({
        status: 'in_progress',
        open: true,
      });
    });

    it('accepts an empty JSON object as the body', async () => {
      const answer = await call(seeded.app, 'POST', `/quests/${loadTest}/start`, {
        as: 'margaret',
        body: {},
      });
      expect(answer.status).toBe(201);
    });

    it('answers 409 already_taken for a quest the participant has in progress', async () => {
      expectError(
        await call(seeded.app, 'POST', `/quests/${designDoc}/start`, { as: 'linus' }),
        409,
        'already_taken',
        /took "Write a one-page design doc" already/,
      );
    });

    it('answers 409 already_completed for a quest the participant completed', async () => {
      const before = await call(seeded.app, 'GET', '/me/quests', { as: 'linus' });
      expectError(
        await call(seeded.app, 'POST', `/quests/${sqlCourse}/start`, { as: 'linus' }),
        409,
        'already_completed',
      );
      const after = await call(seeded.app, 'GET', '/me/quests', { as: 'linus' });
      expect(after.body).toEqual(before.body);
    });

    it('answers 409 quest_closed for a quest that closed or has not opened', async () => {
      expectError(
        await call(seeded.app, 'POST', `/quests/${summerMap}/start`, { as: 'linus' }),
        409,
        'quest_closed',
        /closed on 2024-07-26/,
      );
      expectError(
        await call(seeded.app, 'POST', `/quests/${springController}/start`, { as: 'linus' }),
        409,
        'quest_closed',
        /opens on 2031-03-03/,
      );
    });

    it('answers 403 to anyone but a participant', async () => {
      expectError(
        await call(seeded.app, 'POST', `/quests/${readAPaper}/start`, { as: 'grace' }),
        403,
        'forbidden',
        /Only participants/,
      );
    });

    it('answers 401 without a token', async () => {
      expectError(
        await call(seeded.app, 'POST', `/quests/${readAPaper}/start`),
        401,
        'unauthorized',
      );
    });

    it('answers 404 for a quest that does not exist and 400 for an id that is not a UUID', async () => {
      expectError(
        await call(seeded.app, 'POST', `/quests/${missingId}/start`, { as: 'linus' }),
        404,
        'not_found',
      );
      expectError(
        await call(seeded.app, 'POST', '/quests/7/start', { as: 'linus' }),
        400,
        'invalid_request',
        /not a valid id/,
      );
    });

    it('answers 400 for a body with fields and for malformed JSON', async () => {
      expectError(
        await call(seeded.app, 'POST', `/quests/${loadTest}/start`, {
          as: 'linus',
          body: { status: 'completed' },
        }),
        400,
        'invalid_request',
      );
      expectError(
        await call(seeded.app, 'POST', `/quests/${loadTest}/start`, { as: 'linus', rawBody: '{' }),
        400,
        'invalid_json',
      );
    });

    it('gives exactly one of two concurrent starts the quest', async () => {
      const answers = await Promise.all([
        call(seeded.app, 'POST', `/quests/${loadTest}/start`, { as: 'linus' }),
        call(seeded.app, 'POST', `/quests/${loadTest}/start`, { as: 'linus' }),
      ]);
      expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    });
  });

  describe('GET /projects', () => {
    it("lists projects with their program's name and their owner's name, never the email", async () => {
      const { status, body } = await call(seeded.app, 'GET', '/projects?limit=500');
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
      const { body } = await call(seeded.app, 'GET', `/projects?programId=${summerHack}`);
      expect(body.map((p: { name: string }) => p.name)).toContain('Bike Lane Map');
      for (const project of body) expect(project.programId).toBe(summerHack);
    });

    it('pages with limit and offset', async () => {
      const all = (await call(seeded.app, 'GET', '/projects?limit=500')).body;
      expect(all.length).toBeGreaterThan(2);
      const page = (await call(seeded.app, 'GET', '/projects?limit=2&offset=1')).body;
      expect(page).toEqual(all.slice(1, 3));
    });

    it('answers an empty list for a program without projects', async () => {
      expect((await call(seeded.app, 'GET', `/projects?programId=${missingId}`)).body).toEqual([]);
    });

    it.each([
      ['programId=abc', /programId/],
      ['limit=0', /limit/],
      ['offset=-1', /offset/],
      ['owner=linus', /owner|Unrecognized|unrecognized/],
    ])('answers 400 for %s', async (query, message) => {
      expectError(
        await call(seeded.app, 'GET', `/projects?${query}`),
        400,
        'invalid_request',
        message,
      );
    });
  });
}

describeOnEachEngine('taking quests and listing projects', describeQuestsAndProjects);

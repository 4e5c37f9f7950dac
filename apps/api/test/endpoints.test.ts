import { describe, expect, it } from 'vitest';
import {
  fixedNow,
  mentorshipId,
  missingId,
  programId,
  questId,
  userId,
} from './support/demo-rows.js';
import { call, expectError } from './support/requests.js';
import { describeOnEachEngine, type OpenDatabase, useSeededApp } from './support/seeded-app.js';

const evergreen = programId(0);
const summerHack = programId(1);
const springBuild = programId(2);
const [linus, katherine] = [userId(3), userId(2)];
const graceAndLinus = mentorshipId(0);

function describeEndpoints(open: OpenDatabase) {
  const seeded = useSeededApp(open, { scale: 60, now: () => fixedNow });

  describe('GET /programs/:id', () => {
    it('answers the program with its quests', async () => {
      const { status, body } = await call(seeded.app, 'GET', `/programs/${evergreen}`);
      expect(status).toBe(200);
      expect(body).toMatchObject({ id: evergreen, slug: 'evergreen-jam', name: 'Evergreen Jam' });
      expect(body.quests).toHaveLength(6);
      expect(body.quests[0]).toEqual({
        id: expect.any(String),
        programId: evergreen,
        title: expect.any(String),
        description: expect.any(String),
        points: expect.any(Number),
        availableFrom: '2025-01-06T00:00:00.000Z',
        dueDate: '2035-12-14T00:00:00.000Z',
        category: expect.any(String),
        difficulty: expect.any(String),
      });
    });

    it('answers 404 for a program that does not exist', async () => {
      expectError(
        await call(seeded.app, 'GET', `/programs/${missingId}`),
        404,
        'not_found',
        /no program/,
      );
    });

    it('answers 400 for an id that is not a UUID', async () => {
      expectError(
        await call(seeded.app, 'GET', '/programs/42'),
        400,
        'invalid_request',
        /not a valid id/,
      );
    });
  });

  describe('GET /quests', () => {
    it('lists only quests open now by default', async () => {
      const { status, body } = await call(seeded.app, 'GET', `/quests?limit=500`);
      expect(status).toBe(200);
      expect(body.length).toBeGreaterThanOrEqual(6);
      for (const quest of body) {
        expect(
          new Date(quest.availableFrom) <= fixedNow && fixedNow <= new Date(quest.dueDate),
        ).toBe(true);
      }
      const programs = new Set(body.map((q: { programId: string }) => q.programId));
      expect(programs.has(summerHack)).toBe(false);
      expect(programs.has(springBuild)).toBe(false);
    });

    it('lists closed and upcoming quests too with available=all', async () => {
      const { body } = await call(
        seeded.app,
        'GET',
        `/quests?available=all&programId=${springBuild}`,
      );
      expect(body.map((q: { title: string }) => q.title).sort()).toEqual([
        'Learn the basics of WebGPU',
        'Prototype an accessible controller',
      ]);
    });

    it('filters by program, category and difficulty', async () => {
      const { body } = await call(
        seeded.app,
        'GET',
        `/quests?programId=${evergreen}&category=building&difficulty=advanced`,
      );
      expect(body.map((q: { title: string }) => q.title)).toEqual(['Load-test your API']);
    });

    it.each([
      ['category=cooking', /category/],
      ['difficulty=legendary', /difficulty/],
      ['programId=abc', /programId/],
      ['limit=0', /limit/],
      ['available=soon', /available/],
    ])('answers 400 for %s', async (query, message) => {
      expectError(
        await call(seeded.app, 'GET', `/quests?${query}`),
        400,
        'invalid_request',
        message,
      );
    });
  });

  describe('authentication', () => {
    it('answers 401 without a token, asking for a bearer token', async () => {
      const answer = await call(seeded.app, 'GET', '/me/quests');
      expectError(answer, 401, 'unauthorized', /Authorization: Bearer/);
      expect(answer.headers.get('www-authenticate')).toBe('Bearer');
    });

    it('answers 401 for an unknown token', async () => {
      const answer = await call(seeded.app, 'GET', '/me/quests', {
        as: { token: 'jam_dev_nobody_123' },
      });
      expectError(answer, 401, 'unauthorized', /unknown or has expired/);
    });

    it('answers 401 for a malformed Authorization header', async () => {
      const response = await seeded.app.request('/me', { headers: { authorization: 'Basic abc' } });
      expect(response.status).toBe(401);
    });

    it('GET /me names the caller', async () => {
      const { status, body } = await call(seeded.app, 'GET', '/me', { as: 'linus' });
      expect(status).toBe(200);
      expect(body).toEqual({
        id: linus,
        name: 'Linus Participant',
        email: 'linus@demo.jam.dev',
        role: 'participant',
      });
    });
  });

  describe('GET /me/quests', () => {
    it("answers the caller's quests with their quest and whether it is open", async () => {
      const { status, body } = await call(seeded.app, 'GET', '/me/quests', { as: 'margaret' });
      expect(status).toBe(200);
      expect(body).toHaveLength(3);
      const mapped = body.find((q: { questId: string }) => q.questId === questId(1, 0));
      expect(mapped).toMatchObject({
        status: 'completed',
        submissionUrls: ['https://maps.example/bike-lanes'],
        open: false,
        quest: { title: 'Map an open data set', programName: 'Summer Hack 2024' },
      });
    });
  });

  describe('POST /quests/:id/submission', () => {
    const submission = {
      submissionText: 'My design doc, with a section on what I will not build.',
      submissionUrls: ['https://docs.example/linus/design'],
    };

    it('records the submission of an open quest and shows it in /me/quests', async () => {
      const answer = await call(seeded.app, 'POST', `/quests/${questId(0, 1)}/submission`, {
        as: 'linus',
        body: submission,
      });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        questId: questId(0, 1),
        status: 'submitted',
        ...submission,
      });
      const mine = await call(seeded.app, 'GET', '/me/quests', { as: 'linus' });
      expect(mine.body.find((q: { questId: string }) => q.questId === questId(0, 1))).toMatchObject(
        {
          status: 'submitted',
          ...submission,
        },
      );
    });

    it('starts a quest the caller had not taken yet', async () => {
      const answer = await call(seeded.app, 'POST', `/quests/${questId(0, 5)}/submission`, {
        as: 'margaret',
        body: { submissionText: 'p95 is 38 ms at 100 rps.' },
      });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ status: 'submitted', submissionUrls: [] });
    });

    it('answers 409 for a quest that has closed or not opened yet', async () => {
      const closed = await call(seeded.app, 'POST', `/quests/${questId(1, 1)}/submission`, {
        as: 'linus',
        body: submission,
      });
      expectError(closed, 409, 'quest_closed', /closed on 2024-07-12/);
      const upcoming = await call(seeded.app, 'POST', `/quests/${questId(2, 0)}/submission`, {
        as: 'linus',
        body: submission,
      });
      expectError(upcoming, 409, 'quest_closed', /opens on 2031-03-03/);
    });

    it('answers 409 for a quest the caller completed already', async () => {
      const answer = await call(seeded.app, 'POST', `/quests/${questId(0, 4)}/submission`, {
        as: 'linus',
        body: submission,
      });
      expectError(answer, 409, 'already_completed');
    });

    it('answers 403 to a caller who is not a participant', async () => {
      const answer = await call(seeded.app, 'POST', `/quests/${questId(0, 1)}/submission`, {
        as: 'grace',
        body: submission,
      });
      expectError(answer, 403, 'forbidden', /Only participants/);
    });

    it('answers 404 for a quest that does not exist', async () => {
      const answer = await call(seeded.app, 'POST', `/quests/${missingId}/submission`, {
        as: 'linus',
        body: submission,
      });
      expectError(answer, 404, 'not_found', /no quest/);
    });

    it.each([
      ['malformed JSON', { rawBody: '{"submissionText": ' }, 'invalid_json', /not valid JSON/],
      ['a wrong type', { body: { submissionText: 42 } }, 'invalid_request', /submissionText/],
      ['an empty text', { body: { submissionText: '   ' } }, 'invalid_request', /submissionText/],
      [
        'a URL that is not http(s)',
        { body: { submissionText: 'x', submissionUrls: ['javascript:alert(1)'] } },
        'invalid_request',
        /submissionUrls\.0/,
      ],
      [
        'an unknown field',
        { body: { submissionText: 'x', status: 'completed' } },
        'invalid_request',
        /Unrecognized key/,
      ],
    ])('answers 400 for %s', async (_, request, code, message) => {
      const answer = await call(seeded.app, 'POST', `/quests/${questId(0, 2)}/submission`, {
        as: 'linus',
        ...request,
      });
      expectError(answer, 400, code, message);
    });

    it('answers 413 for a body over 1 MB', async () => {
      const answer = await call(seeded.app, 'POST', `/quests/${questId(0, 2)}/submission`, {
        as: 'linus',
        body: { submissionText: 'x'.repeat(1024 * 1024 + 1) },
      });
      expectError(answer, 413, 'payload_too_large', /1 MB/);
    });
  });

  describe('GET /mentorships', () => {
    it("answers the caller's mentorships, as mentor or participant, with names", async () => {
      const linusView = await call(seeded.app, 'GET', '/mentorships', { as: 'linus' });
      expect(linusView.status).toBe(200);
      expect(linusView.body.map((m: { id: string }) => m.id)).toContain(graceAndLinus);
      const grace = await call(seeded.app, 'GET', '/mentorships', { as: 'grace' });
      const mentored = grace.body.filter(
        (m: { mentor: { name: string } }) => m.mentor.name === 'Grace Mentor',
      );
      expect(mentored.map((m: { participant: { name: string } }) => m.participant.name)).toEqual(
        expect.arrayContaining(['Linus Participant', 'Margaret Participant']),
      );
      const ada = await call(seeded.app, 'GET', '/mentorships', { as: 'ada' });
      expect(ada.body).toEqual([]);
    });
  });

  describe('POST /mentorships', () => {
    it('lets an organizer pair a mentor with a participant', async () => {
      const answer = await call(seeded.app, 'POST', '/mentorships', {
        as: 'ada',
        body: { mentorId: katherine, participantId: linus },
      });
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({
        status: 'active',
        sessionNotes: [],
        sessionNoteCount: 0,
        mentor: { id: katherine, name: 'Katherine Mentor' },
        participant: { id: linus, name: 'Linus Participant' },
      });
    });

    it('answers 403 to anyone but an organizer', async () => {
      const answer = await call(seeded.app, 'POST', '/mentorships', {
        as: 'grace',
        body: { mentorId: katherine, participantId: linus },
      });
      expectError(answer, 403, 'forbidden', /organizers/);
    });

    it.each([
      [{ mentorId: linus, participantId: linus }, /cannot mentor themself/],
      [{ mentorId: linus, participantId: userId(4) }, /is a participant, not a mentor/],
      [{ mentorId: katherine, participantId: userId(1) }, /is a mentor, not a participant/],
      [{ mentorId: 'grace', participantId: linus }, /mentorId/],
      [{ mentorId: katherine, participantId: linus, status: 'finished' }, /status/],
    ])('answers 400 for %j', async (body, message) => {
      expectError(
        await call(seeded.app, 'POST', '/mentorships', { as: 'ada', body }),
        400,
        'invalid_request',
        message,
      );
    });

    it('answers 404 for a user that does not exist', async () => {
      const answer = await call(seeded.app, 'POST', '/mentorships', {
        as: 'ada',
        body: { mentorId: katherine, participantId: missingId },
      });
      expectError(answer, 404, 'not_found', /no user/);
    });
  });

  describe('POST /mentorships/:id/notes', () => {
    const note = {
      date: '2026-06-14',
      topic: 'Demo rehearsal',
      notes: 'Shorter intro; show the reminder first.',
      actionItems: ['Cut the intro to 20 seconds'],
    };

    it('appends a session note for the mentor or the participant', async () => {
      const answer = await call(seeded.app, 'POST', `/mentorships/${graceAndLinus}/notes`, {
        as: 'grace',
        body: note,
      });
      expect(answer.status).toBe(201);
      expect(answer.body.sessionNotes).toHaveLength(3);
      expect(answer.body.sessionNotes.at(-1)).toEqual(note);
      const byParticipant = await call(seeded.app, 'POST', `/mentorships/${graceAndLinus}/notes`, {
        as: 'linus',
        body: { ...note, topic: 'Follow-up', actionItems: [] },
      });
      expect(byParticipant.body.sessionNotes).toHaveLength(4);
    });

    it('answers 403 to someone outside the mentorship', async () => {
      const answer = await call(seeded.app, 'POST', `/mentorships/${graceAndLinus}/notes`, {
        as: 'margaret',
        body: note,
      });
      expectError(answer, 403, 'forbidden', /Only the mentor and the participant/);
    });

    it('answers 404 for a mentorship that does not exist and 400 for a bad note', async () => {
      expectError(
        await call(seeded.app, 'POST', `/mentorships/${missingId}/notes`, {
          as: 'grace',
          body: note,
        }),
        404,
        'not_found',
      );
      expectError(
        await call(seeded.app, 'POST', `/mentorships/${graceAndLinus}/notes`, {
          as: 'grace',
          body: { ...note, date: '14/06/2026' },
        }),
        400,
        'invalid_request',
        /date/,
      );
    });
  });

  describe('POST /mentorships/:id/rating', () => {
    it('lets the participant rate the mentor and the mentor rate the participant', async () => {
      const byParticipant = await call(seeded.app, 'POST', `/mentorships/${graceAndLinus}/rating`, {
        as: 'linus',
        body: { rating: 5 },
      });
      expect(byParticipant.status).toBe(200);
      expect(byParticipant.body).toMatchObject({ participantRating: 5, mentorRating: 4 });
      const byMentor = await call(seeded.app, 'POST', `/mentorships/${graceAndLinus}/rating`, {
        as: 'grace',
        body: { rating: 3 },
      });
      expect(byMentor.body).toMatchObject({ participantRating: 5, mentorRating: 3 });
    });

    it.each([[0], [6], [2.5], ['5'], [null]])('answers 400 for rating %j', async (rating) => {
      expectError(
        await call(seeded.app, 'POST', `/mentorships/${graceAndLinus}/rating`, {
          as: 'linus',
          body: { rating },
        }),
        400,
        'invalid_request',
        /rating/,
      );
    });

    it('answers 403 to someone outside the mentorship', async () => {
      expectError(
        await call(seeded.app, 'POST', `/mentorships/${graceAndLinus}/rating`, {
          as: 'katherine',
          body: { rating: 1 },
        }),
        403,
        'forbidden',
      );
    });
  });
}

describeOnEachEngine('endpoints', describeEndpoints);

import { mentorships } from '@jam/db';
import type { SessionNote } from '@jam/db/types';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { mentorshipId, userId } from './support/demo-rows.js';
import { call, expectError } from './support/requests.js';
import { describeOnEachEngine, type OpenDatabase, useSeededApp } from './support/seeded-app.js';

const [katherine, linus, margaret] = [userId(2), userId(3), userId(4)];
const [graceAndLinus, katherineAndMargaret, graceAndMargaret] = [
  mentorshipId(0),
  mentorshipId(1),
  mentorshipId(2),
];

const noteNumber = (n: number): SessionNote => ({
  date: '2026-06-01',
  topic: `Session ${n}`,
  notes: `What we did in session ${n}.`,
  actionItems: [],
});

/** Three minutes: up to three times what setting up a seeded database takes under load. */
const setupBudget = 180_000;

function describeMentorshipRules(open: OpenDatabase) {
  const seeded = useSeededApp(open, { scale: 6, setupTimeoutMs: setupBudget });

  describe('pairing', () => {
    it('creates one mentorship for thirty identical concurrent requests; the rest get 409', async () => {
      const answers = await Promise.all(
        Array.from({ length: 30 }, () =>
          call(seeded.app, 'POST', '/mentorships', {
            as: 'ada',
            body: { mentorId: katherine, participantId: linus },
          }),
        ),
      );
      const statuses = answers.map((answer) => answer.status);
      expect(statuses.filter((status) => status === 201)).toHaveLength(1);
      expect(statuses.filter((status) => status === 409)).toHaveLength(29);
      const created = answers.find((answer) => answer.status === 201)!.body;
      for (const answer of answers.filter((a) => a.status === 409)) {
        expectError(answer, 409, 'already_paired', new RegExp(created.id));
      }
      const linusView = await call(seeded.app, 'GET', '/mentorships', { as: 'linus' });
      const withKatherine = linusView.body.filter(
        (m: { mentor: { id: string } }) => m.mentor.id === katherine,
      );
      expect(withKatherine).toHaveLength(1);
    });

    it('answers 409 for a pair whose mentorship is over, naming it', async () => {
      const answer = await call(seeded.app, 'POST', '/mentorships', {
        as: 'ada',
        body: { mentorId: katherine, participantId: margaret },
      });
      expectError(
        answer,
        409,
        'already_paired',
        /Katherine Mentor already mentors Margaret.*completed/,
      );
    });
  });

  describe('session notes', () => {
    it('lists only the latest five notes with the count, and pages them all', async () => {
      for (let n = 3; n <= 9; n++) {
        const added = await call(seeded.app, 'POST', `/mentorships/${graceAndLinus}/notes`, {
          as: n % 2 ? 'grace' : 'linus',
          body: noteNumber(n),
        });
        expect(added.status).toBe(201);
      }
      const list = await call(seeded.app, 'GET', '/mentorships', { as: 'linus' });
      const mentorship = list.body.find((m: { id: string }) => m.id === graceAndLinus);
      expect(mentorship.sessionNoteCount).toBe(9);
      expect(mentorship.sessionNotes.map((n: SessionNote) => n.topic)).toEqual([
        'Session 5',
        'Session 6',
        'Session 7',
        'Session 8',
        'Session 9',
      ]);

      const first = await call(seeded.app, 'GET', `/mentorships/${graceAndLinus}/notes?limit=4`, {
        as: 'grace',
      });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ total: 9, limit: 4, offset: 0 });
      expect(first.body.notes.map((n: SessionNote) => n.topic)).toEqual([
        'Scoping the MVP',
        'First users',
        'Session 3',
        'Session 4',
      ]);
      const last = await call(
        seeded.app,
        'GET',
        `/mentorships/${graceAndLinus}/notes?limit=4&offset=8`,
        {
          as: 'linus',
        },
      );
      expect(last.body.notes.map((n: SessionNote) => n.topic)).toEqual(['Session 9']);
      const beyond = await call(
        seeded.app,
        'GET',
        `/mentorships/${graceAndLinus}/notes?offset=50`,
        {
          as: 'linus',
        },
      );
      expect(beyond.body).toEqual({ total: 9, limit: 20, offset: 50, notes: [] });
    });

    it('shows an empty list and a zero count for a mentorship without notes', async () => {
      const list = await call(seeded.app, 'GET', '/mentorships', { as: 'margaret' });
      const paused = list.body.find((m: { id: string }) => m.id === graceAndMargaret);
      expect(paused).toMatchObject({ sessionNotes: [], sessionNoteCount: 0 });
    });

    it('pages the notes only for the mentor and the participant', async () => {
      expectError(
        await call(seeded.app, 'GET', `/mentorships/${graceAndLinus}/notes`, { as: 'margaret' }),
        403,
        'forbidden',
      );
      expectError(
        await call(seeded.app, 'GET', `/mentorships/${graceAndLinus}/notes?limit=0`, {
          as: 'grace',
        }),
        400,
        'invalid_request',
        /limit/,
      );
      expectError(
        await call(seeded.app, 'GET', `/mentorships/${graceAndLinus}/notes?limit=51`, {
          as: 'grace',
        }),
        400,
        'invalid_request',
        /limit/,
      );
    });

    it('answers 413 for a note over 16 KB, however its fields are filled', async () => {
      // 8,000 characters fit the notes field, but as UTF-8 they are 24 KB.
      const answer = await call(seeded.app, 'POST', `/mentorships/${graceAndLinus}/notes`, {
        as: 'grace',
        body: { ...noteNumber(0), notes: '字'.repeat(8_000) },
      });
      expectError(answer, 413, 'note_too_large', /at most 16 KB; this one holds 24 KB/);
    });

    it('answers 400 for a field over its own limit', async () => {
      const answer = await call(seeded.app, 'POST', `/mentorships/${graceAndLinus}/notes`, {
        as: 'grace',
        body: { ...noteNumber(0), actionItems: Array.from({ length: 21 }, (_, n) => `Item ${n}`) },
      });
      expectError(answer, 400, 'invalid_request', /actionItems/);
    });

    it('stops at 200 notes, also when the last ones arrive at once', async () => {
      await seeded.database.db
        .update(mentorships)
        .set({ sessionNotes: Array.from({ length: 195 }, (_, n) => noteNumber(n)) })
        .where(eq(mentorships.id, graceAndMargaret));
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, n) =>
          call(seeded.app, 'POST', `/mentorships/${graceAndMargaret}/notes`, {
            as: 'margaret',
            body: noteNumber(1_000 + n),
          }),
        ),
      );
      expect(answers.filter((answer) => answer.status === 201)).toHaveLength(5);
      for (const refused of answers.filter((answer) => answer.status !== 201)) {
        expectError(refused, 409, 'too_many_notes', /holds 200 session notes, the most/);
      }
      const page = await call(seeded.app, 'GET', `/mentorships/${graceAndMargaret}/notes?limit=1`, {
        as: 'grace',
      });
      expect(page.body.total).toBe(200);
    });
  });

  describe('a completed or cancelled mentorship', () => {
    const setStatus = (id: string, status: 'active' | 'completed' | 'cancelled') =>
      seeded.database.db.update(mentorships).set({ status }).where(eq(mentorships.id, id));

    it('takes no new notes once completed', async () => {
      const answer = await call(seeded.app, 'POST', `/mentorships/${katherineAndMargaret}/notes`, {
        as: 'margaret',
        body: noteNumber(1),
      });
      expectError(answer, 409, 'mentorship_closed', /completed: it takes no new notes/);
    });

    it('keeps a rating given before completion final', async () => {
      const answer = await call(seeded.app, 'POST', `/mentorships/${katherineAndMargaret}/rating`, {
        as: 'margaret',
        body: { rating: 1 },
      });
      expectError(answer, 409, 'rating_final', /rated this completed mentorship 5\/5 already/);
    });

    it('lets each side that has not rated yet rate once after completion', async () => {
      const list = await call(seeded.app, 'GET', '/mentorships', { as: 'linus' });
      const withKatherine = list.body.find(
        (m: { mentor: { id: string } }) => m.mentor.id === katherine,
      );
      await setStatus(withKatherine.id, 'completed');
      const rated = await call(seeded.app, 'POST', `/mentorships/${withKatherine.id}/rating`, {
        as: 'linus',
        body: { rating: 4 },
      });
      expect(rated.status).toBe(200);
      expect(rated.body).toMatchObject({ participantRating: 4, mentorRating: null });
      expectError(
        await call(seeded.app, 'POST', `/mentorships/${withKatherine.id}/rating`, {
          as: 'linus',
          body: { rating: 2 },
        }),
        409,
        'rating_final',
      );
      const byMentor = await call(seeded.app, 'POST', `/mentorships/${withKatherine.id}/rating`, {
        as: 'katherine',
        body: { rating: 5 },
      });
      expect(byMentor.body).toMatchObject({ participantRating: 4, mentorRating: 5 });
    });

    it('changes no more once cancelled', async () => {
      await setStatus(graceAndLinus, 'cancelled');
      expectError(
        await call(seeded.app, 'POST', `/mentorships/${graceAndLinus}/rating`, {
          as: 'linus',
          body: { rating: 3 },
        }),
        409,
        'mentorship_closed',
        /cancelled: it changes no more/,
      );
      expectError(
        await call(seeded.app, 'POST', `/mentorships/${graceAndLinus}/notes`, {
          as: 'grace',
          body: noteNumber(1),
        }),
        409,
        'mentorship_closed',
      );
      await setStatus(graceAndLinus, 'active');
    });
  });
}

describeOnEachEngine('mentorship rules', describeMentorshipRules);

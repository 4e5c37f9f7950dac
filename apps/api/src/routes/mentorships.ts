import { type JamDatabase, mentorships, users } from '@jam/db';
import { and, desc, eq, inArray, lt, or, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { Hono } from 'hono';
import { ApiError, badRequest, conflict, forbidden, notFound } from '../errors.js';
import { type AuthEnv, type Caller, requireCaller } from '../http/auth.js';
import {
  acceptsNotes,
  acceptsRating,
  openStatuses,
  type Side,
} from '../http/mentorship-lifecycle.js';
import { mentorshipColumns } from '../http/public-columns.js';
import {
  mentorshipListQuery,
  newMentorshipBody,
  ratingBody,
  sessionNoteBody,
  sessionNoteLimits,
  sessionNotesQuery,
} from '../http/request-schemas.js';
import {
  latestSessionNotes,
  noteBytes,
  sessionNoteCount,
  sessionNotesSlice,
  withNoteAppended,
} from '../http/session-notes.js';
import { idParam, jsonBody, queryParams } from '../http/validation.js';

const mentor = alias(users, 'mentor');
const participant = alias(users, 'participant');

/** Mentorships as the API shows them: with both people's names and only the latest notes. */
const selectMentorships = (db: JamDatabase, where: SQL) =>
  db
    .select({
      ...mentorshipColumns,
      sessionNotes: latestSessionNotes(sessionNoteLimits.shownInList),
      sessionNoteCount,
      mentor: { id: mentor.id, name: mentor.name },
      participant: { id: participant.id, name: participant.name },
    })
    .from(mentorships)
    .innerJoin(mentor, eq(mentor.id, mentorships.mentorId))
    .innerJoin(participant, eq(participant.id, mentorships.participantId))
    .where(where)
    .orderBy(desc(mentorships.updatedAt), desc(mentorships.id));

async function mentorshipById(db: JamDatabase, id: string) {
  const [row] = await selectMentorships(db, eq(mentorships.id, id));
  return row;
}

/**
 * The caller's side of mentorship `id` with what decides whether it may change:
 * 404 when it does not exist, 403 when it is not theirs.
 */
async function callerSide(db: JamDatabase, id: string, caller: Caller) {
  const [row] = await db
    .select({
      mentorId: mentorships.mentorId,
      participantId: mentorships.participantId,
      status: mentorships.status,
      mentorRating: mentorships.mentorRating,
      participantRating: mentorships.participantRating,
      noteCount: sessionNoteCount,
    })
    .from(mentorships)
    .where(eq(mentorships.id, id));
  if (!row) throw notFound(`There is no mentorship with id ${id}.`);
  const side: Side | undefined =
    row.mentorId === caller.id
      ? 'mentor'
      : row.participantId === caller.id
        ? 'participant'
        : undefined;
  if (!side)
    throw forbidden('Only the mentor and the participant of a mentorship may see or change it.');
  return { ...row, side };
}

const closedMessage = (status: string) =>
  `This mentorship is ${status}: ${status === 'completed' ? 'it takes no new notes' : 'it changes no more'}.`;

const organizerRoles: readonly string[] = ['organizer', 'admin'];

export const mentorshipRoutes = (db: JamDatabase, now: () => Date) =>
  new Hono<AuthEnv>()
    .use(requireCaller(db, now))
    .get('/', queryParams(mentorshipListQuery), async (c) => {
      const { id } = c.get('caller');
      const { limit, offset } = c.req.valid('query');
      return c.json(
        await selectMentorships(
          db,
          or(eq(mentorships.mentorId, id), eq(mentorships.participantId, id))!,
        )
          .limit(limit)
          .offset(offset),
      );
    })
    .post('/', jsonBody(newMentorshipBody), async (c) => {
      const caller = c.get('caller');
      const body = c.req.valid('json');
      if (!organizerRoles.includes(caller.role)) {
        throw forbidden('Only organizers pair mentors with participants.');
      }
      const people = await db
        .select({ id: users.id, name: users.name, role: users.role })
        .from(users)
        .where(inArray(users.id, [body.mentorId, body.participantId]));
      const person = (id: string) => {
        const found = people.find((p) => p.id === id);
        if (!found) throw notFound(`There is no user with id ${id}.`);
        return found;
      };
      const [chosenMentor, chosenParticipant] = [person(body.mentorId), person(body.participantId)];
      if (chosenMentor.role !== 'mentor') {
        throw badRequest(`${chosenMentor.name} is a ${chosenMentor.role}, not a mentor.`);
      }
      if (chosenParticipant.role !== 'participant') {
        throw badRequest(
          `${chosenParticipant.name} is a ${chosenParticipant.role}, not a participant.`,
        );
      }
      // The unique pair index decides between concurrent identical requests: one inserts, the rest find it.
      const [created] = await db
        .insert(mentorships)
        .values({ mentorId: body.mentorId, participantId: body.participantId, status: body.status })
        .onConflictDoNothing({ target: [mentorships.mentorId, mentorships.participantId] })
        .returning({ id: mentorships.id });
      if (!created) {
        const [existing] = await db
          .select({ id: mentorships.id, status: mentorships.status })
          .from(mentorships)
          .where(
            and(
              eq(mentorships.mentorId, body.mentorId),
              eq(mentorships.participantId, body.participantId),
            ),
          );
        throw conflict(
          'already_paired',
          `${chosenMentor.name} already mentors ${chosenParticipant.name}: mentorship ${existing?.id} (${existing?.status}).`,
        );
      }
      return c.json(await mentorshipById(db, created.id), 201);
    })
    .get('/:id/notes', idParam, queryParams(sessionNotesQuery), async (c) => {
      const { id } = c.req.valid('param');
      const { limit, offset } = c.req.valid('query');
      await callerSide(db, id, c.get('caller'));
      const [page] = await db
        .select({ total: sessionNoteCount, notes: sessionNotesSlice(offset, limit) })
        .from(mentorships)
        .where(eq(mentorships.id, id));
      if (!page) throw notFound(`There is no mentorship with id ${id}.`);
      return c.json({ total: page.total, limit, offset, notes: page.notes });
    })
    .post('/:id/notes', idParam, jsonBody(sessionNoteBody), async (c) => {
      const { id } = c.req.valid('param');
      const note = c.req.valid('json');
      const { maxNoteBytes, maxNotes } = sessionNoteLimits;
      if (noteBytes(note) > maxNoteBytes) {
        throw new ApiError(
          413,
          'note_too_large',
          `A session note may hold at most ${maxNoteBytes / 1024} KB; this one holds ${Math.ceil(noteBytes(note) / 1024)} KB.`,
        );
      }
      await callerSide(db, id, c.get('caller'));
      // Status and count are checked by the UPDATE itself, so concurrent notes cannot pass the limit.
      const [updated] = await db
        .update(mentorships)
        .set({ sessionNotes: withNoteAppended(note) })
        .where(and(eq(mentorships.id, id), acceptsNotes, lt(sessionNoteCount, maxNotes)))
        .returning({ id: mentorships.id });
      if (!updated) {
        const now = await callerSide(db, id, c.get('caller'));
        if (!openStatuses.includes(now.status)) {
          throw conflict('mentorship_closed', closedMessage(now.status));
        }
        throw conflict(
          'too_many_notes',
          `This mentorship holds ${now.noteCount} session notes, the most it may hold (${maxNotes}).`,
        );
      }
      return c.json(await mentorshipById(db, id), 201);
    })
    .post('/:id/rating', idParam, jsonBody(ratingBody), async (c) => {
      const { id } = c.req.valid('param');
      const { rating } = c.req.valid('json');
      const { side } = await callerSide(db, id, c.get('caller'));
      const [updated] = await db
        .update(mentorships)
        .set(side === 'mentor' ? { mentorRating: rating } : { participantRating: rating })
        .where(and(eq(mentorships.id, id), acceptsRating(side)))
        .returning({ id: mentorships.id });
      if (!updated) {
        const now = await callerSide(db, id, c.get('caller'));
        if (now.status === 'completed') {
          const given = side === 'mentor' ? now.mentorRating : now.participantRating;
          throw conflict(
            'rating_final',
            `You rated this completed mentorship ${given}/5 already; a rating is final once the mentorship is completed.`,
          );
        }
        throw conflict('mentorship_closed', closedMessage(now.status));
      }
      return c.json(await mentorshipById(db, id));
    });

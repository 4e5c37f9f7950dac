import { type JamDatabase, mentorships, users } from '@jam/db';
import { desc, eq, inArray, or, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { Hono } from 'hono';
import { badRequest, forbidden, notFound } from '../errors.js';
import { type AuthEnv, type Caller, requireCaller } from '../http/auth.js';
import { mentorshipColumns } from '../http/public-columns.js';
import { newMentorshipBody, ratingBody, sessionNoteBody } from '../http/request-schemas.js';
import { idParam, jsonBody } from '../http/validation.js';

const mentor = alias(users, 'mentor');
const participant = alias(users, 'participant');

/** Mentorships as the API shows them: with both people's names. */
const selectMentorships = (db: JamDatabase, where: SQL) =>
  db
    .select({
      ...mentorshipColumns,
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

/** The caller's side of mentorship `id`: 404 when it does not exist, 403 when it is not theirs. */
async function callerSide(db: JamDatabase, id: string, caller: Caller) {
  const [row] = await db
    .select({ mentorId: mentorships.mentorId, participantId: mentorships.participantId })
    .from(mentorships)
    .where(eq(mentorships.id, id));
  if (!row) throw notFound(`There is no mentorship with id ${id}.`);
  if (row.mentorId === caller.id) return 'mentor' as const;
  if (row.participantId === caller.id) return 'participant' as const;
  throw forbidden('Only the mentor and the participant of a mentorship may change it.');
}

const organizerRoles: readonly string[] = ['organizer', 'admin'];

export const mentorshipRoutes = (db: JamDatabase, now: () => Date) =>
  new Hono<AuthEnv>()
    .use(requireCaller(db, now))
    .get('/', async (c) => {
      const { id } = c.get('caller');
      return c.json(
        await selectMentorships(
          db,
          or(eq(mentorships.mentorId, id), eq(mentorships.participantId, id))!,
        ),
      );
    })
    .post('/', async (c) => {
      const caller = c.get('caller');
      const body = await jsonBody(c, newMentorshipBody);
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
      const [created] = await db
        .insert(mentorships)
        .values({ mentorId: body.mentorId, participantId: body.participantId, status: body.status })
        .returning({ id: mentorships.id });
      return c.json(await mentorshipById(db, created!.id), 201);
    })
    .post('/:id/notes', async (c) => {
      const id = idParam(c);
      const note = await jsonBody(c, sessionNoteBody);
      await callerSide(db, id, c.get('caller'));
      await db
        .update(mentorships)
        .set({
          // Appended in the database, so two notes sent at once both stay.
          sessionNotes: sql`coalesce(${mentorships.sessionNotes}, '[]'::jsonb) || ${JSON.stringify([note])}::jsonb`,
        })
        .where(eq(mentorships.id, id));
      return c.json(await mentorshipById(db, id), 201);
    })
    .post('/:id/rating', async (c) => {
      const id = idParam(c);
      const { rating } = await jsonBody(c, ratingBody);
      const side = await callerSide(db, id, c.get('caller'));
      // The mentor rates the participant, the participant rates the mentor.
      await db
        .update(mentorships)
        .set(side === 'mentor' ? { mentorRating: rating } : { participantRating: rating })
        .where(eq(mentorships.id, id));
      return c.json(await mentorshipById(db, id));
    });

import {
  mentorshipStatuses,
  mentorships,
  questCategories,
  questDifficulties,
  userQuests,
} from '@jam/db';
import type { SessionNote } from '@jam/db/types';
import { createInsertSchema, createSelectSchema } from 'drizzle-zod';
import { z } from 'zod';

/**
 * Request bodies and queries, derived from the tables where a column exists
 * (types, nullability, uuid formats come from the schema) and narrowed where
 * the database adds a rule of its own (the 1–5 rating check, the status lists).
 */

const maxSubmissionText = 10_000;
const maxSubmissionUrls = 10;

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2_000);

export const submissionBody = createInsertSchema(userQuests, {
  submissionText: (text) => text.trim().min(1).max(maxSubmissionText),
  submissionUrls: z.array(httpUrl).max(maxSubmissionUrls).default([]),
})
  .pick({ submissionText: true, submissionUrls: true })
  .required({ submissionText: true })
  .strict();

export const newMentorshipBody = createInsertSchema(mentorships, {
  status: z.enum(mentorshipStatuses).optional(),
})
  .pick({ mentorId: true, participantId: true, status: true })
  .strict()
  .refine((body) => body.mentorId !== body.participantId, {
    message: 'a mentor cannot mentor themself',
    path: ['participantId'],
  });

/** A rating as the database's check allows it: a whole number from 1 to 5 (the column itself may be null). */
const ratingColumn = createSelectSchema(mentorships, {
  mentorRating: (value) => value.min(1).max(5),
}).shape.mentorRating;

export const ratingBody = z
  .object({ rating: ratingColumn.refine((value) => value !== null, 'a rating is required') })
  .strict();

/**
 * Session notes live in one jsonb array per mentorship, which every read of the
 * mentorship carries: each note and their number are bounded so a mentorship
 * stays small (at most 200 notes of 16 KB), and lists show only the latest few.
 */
export const sessionNoteLimits = {
  /** A whole note as UTF-8 JSON; larger is 413 `note_too_large`. */
  maxNoteBytes: 16 * 1024,
  /** Per mentorship; one more is 409 `too_many_notes`. */
  maxNotes: 200,
  /** How many of the latest notes `GET /mentorships` shows; the rest are paged by `GET /mentorships/:id/notes`. */
  shownInList: 5,
} as const;

export const sessionNoteBody = z
  .object({
    date: z.iso.date(),
    topic: z.string().trim().min(1).max(200),
    notes: z.string().trim().min(1).max(8_000),
    actionItems: z.array(z.string().trim().min(1).max(300)).max(20).default([]),
  })
  .strict() satisfies z.ZodType<SessionNote, unknown>;

const pageLimit = z.coerce.number().int().min(1).max(500).default(100);
const pageOffset = z.coerce.number().int().min(0).default(0);

export const programListQuery = z.object({ limit: pageLimit, offset: pageOffset });

export const mentorshipListQuery = z.object({ limit: pageLimit, offset: pageOffset });

/** A page of at most 50 notes: 800 KB at most, however large each note is. */
export const sessionNotesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(50).default(20),
  offset: pageOffset,
});

export const questListQuery = z.object({
  programId: z.guid().optional(),
  category: z.enum(questCategories).optional(),
  difficulty: z.enum(questDifficulties).optional(),
  /** `now` (default): only quests open at this moment; `all`: every quest. */
  available: z.enum(['now', 'all']).default('now'),
  limit: pageLimit,
  offset: pageOffset,
});

export const projectListQuery = z.strictObject({
  programId: z.guid().optional(),
  limit: pageLimit,
  offset: pageOffset,
});

/** Taking a quest needs nothing but the quest's id, in the path. */
export const startQuestBody = z.object({}).strict();

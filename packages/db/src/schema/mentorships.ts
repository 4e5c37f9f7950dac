import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { id, timestamps } from './columns.js';
import { users } from './users.js';

export const mentorshipStatuses = ['active', 'paused', 'completed', 'cancelled'] as const;
export type MentorshipStatus = (typeof mentorshipStatuses)[number];

/** One entry of `mentorships.session_notes`. */
export interface SessionNote {
  date: string;
  topic: string;
  notes: string;
  actionItems: string[];
}

export const mentorships = pgTable(
  'mentorships',
  {
    id: id(),
    mentorId: uuid('mentor_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    participantId: uuid('participant_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    status: text('status').$type<MentorshipStatus>().notNull().default('active'),
    sessionNotes: jsonb('session_notes').$type<SessionNote[]>(),
    /** The mentor's rating of the participant. */
    mentorRating: integer('mentor_rating'),
    /** The participant's rating of the mentor. */
    participantRating: integer('participant_rating'),
    ...timestamps(),
  },
  (table) => [
    index('mentorships_mentor_id_idx').on(table.mentorId),
    /**
     * One mentorship per mentor and participant, whatever its status: the row is
     * the pair's whole history (notes, ratings), and a pair that meets again
     * continues it rather than starting a second one beside it. It also makes
     * concurrent identical pairings collapse into one.
     */
    uniqueIndex('mentorships_pair_unique').on(table.mentorId, table.participantId),
    index('mentorships_participant_id_idx').on(table.participantId),
    check('mentorships_mentor_rating_check', sql`${table.mentorRating} between 1 and 5`),
    check('mentorships_participant_rating_check', sql`${table.participantRating} between 1 and 5`),
    check('mentorships_not_self_check', sql`${table.mentorId} <> ${table.participantId}`),
  ],
);

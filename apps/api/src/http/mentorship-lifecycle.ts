import { mentorships } from '@jam/db';
import type { MentorshipStatus } from '@jam/db/types';
import { and, eq, inArray, isNull, or, type SQL } from 'drizzle-orm';

/**
 * What a mentorship's status allows, decided once here and enforced inside the
 * UPDATE itself (so a status changing at the same moment cannot slip past):
 *
 * - `active` and `paused`: notes may be added, and each side may rate and
 *   change its rating.
 * - `completed`: the record is closed: no new notes; a side that has not rated
 *   yet may rate once, and a rating already given is final.
 * - `cancelled`: nothing changes any more: no notes, no ratings.
 */
export const openStatuses: MentorshipStatus[] = ['active', 'paused'];

export const acceptsNotes: SQL = inArray(mentorships.status, openStatuses);

export type Side = 'mentor' | 'participant';

/** The column a side writes: the mentor rates the participant, the participant the mentor. */
export const ratingColumnOf = (side: Side) =>
  side === 'mentor' ? mentorships.mentorRating : mentorships.participantRating;

export const acceptsRating = (side: Side): SQL =>
  or(
    inArray(mentorships.status, openStatuses),
    and(eq(mentorships.status, 'completed'), isNull(ratingColumnOf(side))),
  )!;

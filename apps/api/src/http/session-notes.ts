import { mentorships } from '@jam/db';
import type { SessionNote } from '@jam/db/types';
import { type SQL, sql } from 'drizzle-orm';

/**
 * Session notes sit in one jsonb array per mentorship; these expressions slice
 * it in the database, so a read never ships the whole array to the API.
 */
const notes = mentorships.sessionNotes;

/** How many notes the mentorship holds (0 when the column is null). */
export const sessionNoteCount: SQL<number> =
  sql<number>`coalesce(jsonb_array_length(${notes}), 0)`.mapWith(Number);

/** Notes at 1-based positions after `offset`, at most `limit`, oldest first; `[]` when none. */
export const sessionNotesSlice = (offset: SQL | number, limit: number): SQL<SessionNote[]> =>
  sql<SessionNote[]>`coalesce((
    select jsonb_agg(slice.note order by slice.position)
    from jsonb_array_elements(${notes}) with ordinality as slice(note, position)
    where slice.position > (${offset})::int and slice.position <= (${offset})::int + (${limit})::int
  ), '[]'::jsonb)`;

/** The latest `count` notes, oldest first. */
export const latestSessionNotes = (count: number): SQL<SessionNote[]> =>
  sessionNotesSlice(sql`greatest(${sessionNoteCount} - ${count}, 0)`, count);

/** The array with `note` appended, computed in the database so two notes sent at once both stay. */
export const withNoteAppended = (note: SessionNote): SQL =>
  sql`coalesce(${notes}, '[]'::jsonb) || ${JSON.stringify([note])}::jsonb`;

/** UTF-8 bytes of a note as stored, the measure of its size limit. */
export const noteBytes = (note: SessionNote): number => Buffer.byteLength(JSON.stringify(note));

import type { SessionNote } from '@jam/db/types';
import { useState } from 'react';
import { api, call } from '../api/client.js';
import type { Caller, MentorshipView } from '../api/responses.js';
import { formatDay } from '../dates/format-dates.js';
import { useSession } from '../session/session.js';
import { RatingForm } from './RatingForm.js';
import { SessionNoteForm } from './SessionNoteForm.js';

/** The API's rules (see its README table): notes only while active or paused; a rating is final once completed. */
const openStatuses: readonly string[] = ['active', 'paused'];

const stars = (rating: number | null) => (rating === null ? 'not yet' : `${rating}/5`);

export function MentorshipCard({
  mentorship,
  caller,
  onChanged,
}: {
  mentorship: MentorshipView;
  caller: Caller;
  onChanged: () => void;
}) {
  const asMentor = mentorship.mentor.id === caller.id;
  const other = asMentor ? mentorship.participant : mentorship.mentor;
  const given = asMentor ? mentorship.mentorRating : mentorship.participantRating;
  const received = asMentor ? mentorship.participantRating : mentorship.mentorRating;
  const { token } = useSession();
  const [allNotes, setAllNotes] = useState<SessionNote[] | null>(null);
  const [notesError, setNotesError] = useState<string | null>(null);
  const notes = allNotes ?? mentorship.sessionNotes;
  const open = openStatuses.includes(mentorship.status);
  const mayRate = open || (mentorship.status === 'completed' && given === null);

  async function showAllNotes() {
    setNotesError(null);
    try {
      // The API pages notes 50 at a time, so no single answer grows with the mentorship.
      const notes: SessionNote[] = [];
      let total = mentorship.sessionNoteCount;
      while (notes.length < total) {
        const page = await call(
          (options) =>
            api.mentorships[':id'].notes.$get(
              {
                param: { id: mentorship.id },
                query: { limit: '50', offset: String(notes.length) },
              },
              options,
            ),
          { token },
        );
        if (page.notes.length === 0) break;
        notes.push(...page.notes);
        total = page.total;
      }
      setAllNotes(notes);
    } catch (failure) {
      setNotesError(failure instanceof Error ? failure.message : String(failure));
    }
  }

  return (
    <article className="card" data-mentorship-id={mentorship.id}>
      <h2>
        {asMentor ? 'Mentoring' : 'Mentored by'} {other.name}
      </h2>
      <p className="meta">Status: {mentorship.status}</p>
      <p>
        <span className="given-rating">Your rating: {stars(given)}</span> ·{' '}
        <span>
          {other.name}'s rating of you: {stars(received)}
        </span>
      </p>
      {mayRate && (
        <RatingForm
          mentorship={mentorship}
          ratedName={other.name}
          current={given}
          onSaved={onChanged}
        />
      )}
      <h3>Session notes</h3>
      {notes.length === 0 && <p>No sessions noted yet.</p>}
      {notes.length < mentorship.sessionNoteCount && (
        <p>
          The latest {notes.length} of {mentorship.sessionNoteCount} notes.{' '}
          <button type="button" onClick={showAllNotes}>
            Show all
          </button>
        </p>
      )}
      {notesError && <p role="alert">{notesError}</p>}
      <ol className="notes">
        {notes.map((note, index) => (
          // Notes are only ever appended, so the index is a stable key.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above.
          <li key={index}>
            <strong>
              {formatDay(note.date)} · {note.topic}
            </strong>
            <p>{note.notes}</p>
            {note.actionItems.length > 0 && (
              <ul>
                {note.actionItems.map((item) => (
                  <li key={item}>{item}</li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ol>
      {open && (
        <SessionNoteForm
          mentorship={mentorship}
          onSaved={() => {
            setAllNotes(null);
            onChanged();
          }}
        />
      )}
    </article>
  );
}

import type { Caller, MentorshipView } from '../api/shapes.js';
import { RatingForm } from './RatingForm.js';
import { SessionNoteForm } from './SessionNoteForm.js';

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
  const notes = mentorship.sessionNotes ?? [];
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
      <RatingForm
        mentorship={mentorship}
        ratedName={other.name}
        current={given}
        onSaved={onChanged}
      />
      <h3>Session notes</h3>
      {notes.length === 0 && <p>No sessions noted yet.</p>}
      <ol className="notes">
        {notes.map((note, index) => (
          // Notes are only ever appended, so the index is a stable key.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above.
          <li key={index}>
            <strong>
              {note.date} · {note.topic}
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
      <SessionNoteForm mentorship={mentorship} onSaved={onChanged} />
    </article>
  );
}

import { type FormEvent, useState } from 'react';
import { api, call } from '../api/client.js';
import type { MentorshipView } from '../api/responses.js';
import { useSession } from '../session/session.js';

const today = () => new Date().toISOString().slice(0, 10);

export function SessionNoteForm({
  mentorship,
  onSaved,
}: {
  mentorship: MentorshipView;
  onSaved: () => void;
}) {
  const { token } = useSession();
  const [date, setDate] = useState(today);
  const [topic, setTopic] = useState('');
  const [notes, setNotes] = useState('');
  const [actionItems, setActionItems] = useState('');
  const [error, setError] = useState<string | null>(null);

  async function save(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      const note = {
        date,
        topic,
        notes,
        actionItems: actionItems
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean),
      };
      await call(
        (options) =>
          api.mentorships[':id'].notes.$post({ param: { id: mentorship.id }, json: note }, options),
        { token },
      );
      setTopic('');
      setNotes('');
      setActionItems('');
      onSaved();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  }

  return (
    <form onSubmit={save} className="stack" aria-label="Add a session note">
      <label>
        Date
        <input
          type="date"
          value={date}
          onChange={(event) => setDate(event.target.value)}
          required
        />
      </label>
      <label>
        Topic
        <input value={topic} onChange={(event) => setTopic(event.target.value)} required />
      </label>
      <label>
        Notes
        <textarea
          value={notes}
          onChange={(event) => setNotes(event.target.value)}
          rows={3}
          required
        />
      </label>
      <label>
        Action items, one per line
        <textarea
          value={actionItems}
          onChange={(event) => setActionItems(event.target.value)}
          rows={2}
        />
      </label>
      <button type="submit">Add note</button>
      {error && <p role="alert">{error}</p>}
    </form>
  );
}

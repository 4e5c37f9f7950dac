import { type FormEvent, useState } from 'react';
import { api, call } from '../api/client.js';
import type { MentorshipView } from '../api/responses.js';
import { useSession } from '../session/session.js';

/** The mentor rates the participant and the participant rates the mentor, 1 to 5. */
export function RatingForm({
  mentorship,
  ratedName,
  current,
  onSaved,
}: {
  mentorship: MentorshipView;
  ratedName: string;
  current: number | null;
  onSaved: () => void;
}) {
  const { token } = useSession();
  const [rating, setRating] = useState(String(current ?? 5));
  const [error, setError] = useState<string | null>(null);

  async function rate(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      await call(
        (options) =>
          api.mentorships[':id'].rating.$post(
            { param: { id: mentorship.id }, json: { rating: Number(rating) } },
            options,
          ),
        { token },
      );
      onSaved();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  }

  return (
    <form onSubmit={rate} className="inline" aria-label={`Rate ${ratedName}`}>
      <label>
        Your rating of {ratedName}
        <select value={rating} onChange={(event) => setRating(event.target.value)}>
          {[1, 2, 3, 4, 5].map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <button type="submit">{current === null ? 'Rate' : 'Change rating'}</button>
      {error && <p role="alert">{error}</p>}
    </form>
  );
}

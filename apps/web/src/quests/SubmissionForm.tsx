import { type FormEvent, useState } from 'react';
import { api, call, messageOf } from '../api/client.js';
import type { MyQuest } from '../api/responses.js';
import { useSession } from '../session/session.js';

/** Submission text and links (one per line) for an open quest. */
export function SubmissionForm({
  quest,
  onSubmitted,
}: {
  quest: MyQuest;
  onSubmitted: () => void;
}) {
  const { token } = useSession();
  const [text, setText] = useState(quest.submissionText ?? '');
  const [links, setLinks] = useState((quest.submissionUrls ?? []).join('\n'));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const submission = {
        submissionText: text,
        submissionUrls: links
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean),
      };
      await call(
        (options) =>
          api.quests[':id'].submission.$post(
            { param: { id: quest.questId }, json: submission },
            options,
          ),
        { token },
      );
      onSubmitted();
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} className="stack" aria-label={`Submit ${quest.quest.title}`}>
      <label>
        What you did
        <textarea
          value={text}
          onChange={(event) => setText(event.target.value)}
          rows={3}
          required
        />
      </label>
      <label>
        Links, one per line
        <textarea value={links} onChange={(event) => setLinks(event.target.value)} rows={2} />
      </label>
      <button type="submit" disabled={busy}>
        {quest.status === 'submitted' ? 'Submit again' : 'Submit'}
      </button>
      {error && <p role="alert">{error}</p>}
    </form>
  );
}

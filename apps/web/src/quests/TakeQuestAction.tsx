import { useState } from 'react';
import { ApiFailure, api, call, messageOf } from '../api/client.js';
import type { MyQuest, QuestSummary } from '../api/responses.js';
import { hrefOf } from '../routing/route.js';
import { useSession } from '../session/session.js';
import { closedReason } from './quest-window.js';
import { questStatusLabels } from './status-labels.js';

/**
 * What a signed-in participant can do with a quest on a program page: take it
 * when it is open and not theirs yet, or see where they stand with it.
 */
export function TakeQuestAction({
  quest,
  mine,
  now,
  onTaken,
}: {
  quest: QuestSummary;
  mine: MyQuest | undefined;
  now: Date;
  onTaken: () => void;
}) {
  const { token } = useSession();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (mine) {
    return (
      <p className="taken">
        Yours: <strong className="status">{questStatusLabels[mine.status]}</strong> ·{' '}
        <a href={hrefOf({ page: 'my-quests' })}>My quests</a>
      </p>
    );
  }
  const closed = closedReason(quest, now);
  if (closed) return <p className="meta">{closed}</p>;

  async function take() {
    setBusy(true);
    setError(null);
    try {
      await call((options) => api.quests[':id'].start.$post({ param: { id: quest.id } }, options), {
        token,
      });
      onTaken();
    } catch (failure) {
      setError(messageOf(failure));
      setBusy(false);
      // Taken meanwhile (another tab, another device): fetch where they stand now.
      if (failure instanceof ApiFailure && failure.status === 409) onTaken();
    }
  }

  return (
    <div className="take">
      <button type="button" onClick={take} disabled={busy}>
        Take this quest
      </button>
      {error && <p role="alert">{error}</p>}
    </div>
  );
}

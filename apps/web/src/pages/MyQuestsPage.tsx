import { api } from '../api/client.js';
import { useApi } from '../api/use-api.js';
import { QuestSummaryLine } from '../quests/QuestSummaryLine.js';
import { SubmissionForm } from '../quests/SubmissionForm.js';
import { questStatusLabels } from '../quests/status-labels.js';
import { useSession } from '../session/session.js';
import { LoadState } from './LoadState.js';
import { SignInFirst } from './SignInFirst.js';

export function MyQuestsPage() {
  const { token } = useSession();
  const { load, reload } = useApi(
    token ? '/me/quests' : null,
    (options) => api.me.quests.$get(undefined, options),
    token,
  );
  if (!token) return <SignInFirst what="your quests" />;
  return (
    <section>
      <h1>My quests</h1>
      <LoadState load={load} what="your quests">
        {(quests) =>
          quests.length === 0 ? (
            <p>You have not taken any quests yet.</p>
          ) : (
            <ul className="quests">
              {quests.map((quest) => (
                <li key={quest.id} className="card" data-quest-id={quest.questId}>
                  <h2>{quest.quest.title}</h2>
                  <p className="meta">{quest.quest.programName}</p>
                  <QuestSummaryLine quest={quest.quest} />
                  <p>
                    Status: <strong className="status">{questStatusLabels[quest.status]}</strong>
                  </p>
                  {quest.submissionText && <blockquote>{quest.submissionText}</blockquote>}
                  {quest.submissionUrls?.map((url) => (
                    <a key={url} href={url} className="link">
                      {url}
                    </a>
                  ))}
                  {quest.open && quest.status !== 'completed' ? (
                    <SubmissionForm quest={quest} onSubmitted={reload} />
                  ) : (
                    <p className="meta">
                      {quest.status === 'completed'
                        ? 'Done.'
                        : 'This quest takes no submissions now.'}
                    </p>
                  )}
                </li>
              ))}
            </ul>
          )
        }
      </LoadState>
    </section>
  );
}

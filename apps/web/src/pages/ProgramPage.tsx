import { api } from '../api/client.js';
import { useApi } from '../api/use-api.js';
import { formatProgramDates } from '../dates/format-dates.js';
import { acceptsApplications } from '../programs/applications-open.js';
import { ProjectList } from '../projects/ProjectList.js';
import { QuestSummaryLine } from '../quests/QuestSummaryLine.js';
import { isQuestOpen } from '../quests/quest-window.js';
import { TakeQuestAction } from '../quests/TakeQuestAction.js';
import { hrefOf } from '../routing/route.js';
import { useSession } from '../session/session.js';
import { LoadState } from './LoadState.js';

export function ProgramPage({ id }: { id: string }) {
  const { token, caller } = useSession();
  const { load } = useApi(`/programs/${id}`, (options) =>
    api.programs[':id'].$get({ param: { id } }, options),
  );
  const participant = caller?.role === 'participant';
  // Only a participant takes quests, so only they need to know which are theirs already.
  const mine = useApi(
    participant ? '/me/quests' : null,
    (options) => api.me.quests.$get(undefined, options),
    token,
  );
  const now = new Date();
  return (
    <LoadState load={load} what="the program">
      {(program) => (
        <section>
          <h1>{program.name}</h1>
          <p className="meta">
            {formatProgramDates(program)} · {program.status}
            {program.organizer && <> · by {program.organizer}</>}
          </p>
          {program.description && <p>{program.description}</p>}
          {acceptsApplications(program, now) && (
            <p>
              <a href={program.applicationUrl!} className="apply">
                Apply
              </a>
            </p>
          )}
          <h2>Quests</h2>
          {!caller && program.quests.some((quest) => isQuestOpen(quest, now)) && (
            <p className="meta">
              <a href={hrefOf({ page: 'sign-in' })}>Sign in</a> as a participant to take a quest.
            </p>
          )}
          {program.quests.length === 0 && <p>No quests yet.</p>}
          <ul className="quests">
            {program.quests.map((quest) => (
              <li key={quest.id} className="card" data-quest-id={quest.id}>
                <h3>{quest.title}</h3>
                <QuestSummaryLine quest={quest} />
                {quest.description && <p>{quest.description}</p>}
                {participant && mine.load.state === 'loaded' && (
                  <TakeQuestAction
                    quest={quest}
                    mine={mine.load.data.find((taken) => taken.questId === quest.id)}
                    now={now}
                    onTaken={mine.reload}
                  />
                )}
              </li>
            ))}
          </ul>
          {participant && mine.load.state === 'failed' && (
            <p role="alert">Could not load your quests: {mine.load.message}</p>
          )}
          <h2>Projects</h2>
          <ProjectList programId={program.id} />
        </section>
      )}
    </LoadState>
  );
}

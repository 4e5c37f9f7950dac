import type { ProgramDetail } from '../api/shapes.js';
import { useApi } from '../api/use-api.js';
import { formatProgramDates } from '../dates/format-dates.js';
import { QuestSummaryLine } from '../quests/QuestSummaryLine.js';
import { LoadState } from './LoadState.js';

export function ProgramPage({ id }: { id: string }) {
  const { load } = useApi<ProgramDetail>(`/programs/${encodeURIComponent(id)}`);
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
          <h2>Quests</h2>
          {program.quests.length === 0 && <p>No quests yet.</p>}
          <ul className="quests">
            {program.quests.map((quest) => (
              <li key={quest.id} className="card">
                <h3>{quest.title}</h3>
                <QuestSummaryLine quest={quest} />
                {quest.description && <p>{quest.description}</p>}
              </li>
            ))}
          </ul>
        </section>
      )}
    </LoadState>
  );
}

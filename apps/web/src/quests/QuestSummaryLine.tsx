import type { QuestSummary } from '../api/responses.js';
import { formatDayRange } from '../dates/format-dates.js';

export function QuestSummaryLine({ quest }: { quest: QuestSummary }) {
  return (
    <p className="meta">
      {quest.category ?? 'quest'} · {quest.difficulty ?? 'any level'} · {quest.points} points ·{' '}
      {formatDayRange(quest.availableFrom, quest.dueDate)}
    </p>
  );
}

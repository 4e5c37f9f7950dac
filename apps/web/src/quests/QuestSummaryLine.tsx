import type { QuestSummary } from '../api/shapes.js';
import { formatDay } from '../programs/format-dates.js';

export function QuestSummaryLine({ quest }: { quest: QuestSummary }) {
  return (
    <p className="meta">
      {quest.category ?? 'quest'} · {quest.difficulty ?? 'any level'} · {quest.points} points ·{' '}
      {formatDay(quest.availableFrom)} – {formatDay(quest.dueDate)}
    </p>
  );
}

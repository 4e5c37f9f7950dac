import type { QuestSummary } from '../api/responses.js';
import { formatDay } from '../dates/format-dates.js';

type Window = Pick<QuestSummary, 'availableFrom' | 'dueDate'>;

/**
 * The API's rule (apps/api/src/http/quest-window.ts): open from `availableFrom`
 * to `dueDate`, a missing bound leaving that side open. The page uses it to offer
 * only what the API will accept; the API still decides.
 */
export function isQuestOpen(quest: Window, now: Date): boolean {
  const from = quest.availableFrom ? new Date(quest.availableFrom) : null;
  const until = quest.dueDate ? new Date(quest.dueDate) : null;
  return (from === null || from <= now) && (until === null || until >= now);
}

/** Why a quest cannot be taken now: "Opens on 3 Mar 2031" or "Closed on 26 Jul 2024". */
export function closedReason(quest: Window, now: Date): string | null {
  if (isQuestOpen(quest, now)) return null;
  if (quest.availableFrom && new Date(quest.availableFrom) > now) {
    return `Opens on ${formatDay(quest.availableFrom)}`;
  }
  return `Closed on ${formatDay(quest.dueDate)}`;
}

import { quests } from '@jam/db';
import type { Quest } from '@jam/db/types';
import { and, gte, isNull, lte, or, type SQL } from 'drizzle-orm';

/**
 * A quest is open from `available_from` to the end of `due_date`'s moment; a
 * missing bound leaves that side open. The same rule in SQL (for listings) and
 * in code (for a single quest), so they never disagree.
 */
export const openAt = (now: Date): SQL =>
  and(
    or(isNull(quests.availableFrom), lte(quests.availableFrom, now)),
    or(isNull(quests.dueDate), gte(quests.dueDate, now)),
  )!;

export const isOpenAt = (quest: Pick<Quest, 'availableFrom' | 'dueDate'>, now: Date): boolean =>
  (quest.availableFrom === null || quest.availableFrom <= now) &&
  (quest.dueDate === null || quest.dueDate >= now);

import { type JamDatabase, quests } from '@jam/db';
import { eq } from 'drizzle-orm';
import { conflict, notFound } from '../errors.js';
import { isOpenAt } from './quest-window.js';

const day = (date: Date) => date.toISOString().slice(0, 10);

/**
 * The quest a participant acts on, when it is open at `at`: 404 when there is
 * no such quest, 409 `quest_closed` saying when it opens or closed, where
 * `refusal` says what cannot happen ("cannot be taken", "takes no submissions").
 */
export async function findOpenQuest(
  db: JamDatabase,
  questId: string,
  at: Date,
  refusal: string,
): Promise<{ title: string }> {
  const [quest] = await db
    .select({ title: quests.title, availableFrom: quests.availableFrom, dueDate: quests.dueDate })
    .from(quests)
    .where(eq(quests.id, questId));
  if (!quest) throw notFound(`There is no quest with id ${questId}.`);
  if (!isOpenAt(quest, at)) {
    const when =
      quest.availableFrom && quest.availableFrom > at
        ? `opens on ${day(quest.availableFrom)}`
        : `closed on ${day(quest.dueDate!)}`;
    throw conflict('quest_closed', `The quest "${quest.title}" ${refusal}: it ${when}.`);
  }
  return quest;
}

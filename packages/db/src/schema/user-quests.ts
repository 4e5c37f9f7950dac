import { index, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { id, timestamps } from './columns.js';
import { quests } from './quests.js';
import { users } from './users.js';

export const userQuestStatuses = [
  'not_started',
  'in_progress',
  'submitted',
  'completed',
  'rejected',
] as const;
export type UserQuestStatus = (typeof userQuestStatuses)[number];

export const userQuests = pgTable(
  'user_quests',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    questId: uuid('quest_id')
      .notNull()
      .references(() => quests.id, { onDelete: 'cascade' }),
    status: text('status').$type<UserQuestStatus>().notNull().default('not_started'),
    completedAt: timestamp('completed_at'),
    submissionText: text('submission_text'),
    submissionUrls: text('submission_urls').array(),
    ...timestamps(),
  },
  (table) => [
    // The unique (user_id, quest_id) index also serves lookups by user_id.
    unique('user_quests_user_id_quest_id_unique').on(table.userId, table.questId),
    index('user_quests_quest_id_idx').on(table.questId),
  ],
);

import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { id, timestamps } from './columns.js';
import { programs } from './programs.js';

export const questCategories = ['learning', 'building', 'community', 'design', 'research'] as const;
export type QuestCategory = (typeof questCategories)[number];

export const questDifficulties = ['beginner', 'intermediate', 'advanced'] as const;
export type QuestDifficulty = (typeof questDifficulties)[number];

export const quests = pgTable(
  'quests',
  {
    id: id(),
    programId: uuid('program_id')
      .notNull()
      .references(() => programs.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    description: text('description'),
    points: integer('points').notNull().default(0),
    availableFrom: timestamp('available_from'),
    dueDate: timestamp('due_date'),
    category: text('category').$type<QuestCategory>(),
    difficulty: text('difficulty').$type<QuestDifficulty>(),
    ...timestamps(),
  },
  (table) => [index('quests_program_id_idx').on(table.programId)],
);

import { index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { id, timestamps } from './columns.js';
import { programs } from './programs.js';
import { users } from './users.js';

export const projects = pgTable(
  'projects',
  {
    id: id(),
    programId: uuid('program_id')
      .notNull()
      .references(() => programs.id, { onDelete: 'cascade' }),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description'),
    repositoryUrl: text('repository_url'),
    videoUrl: text('video_url'),
    productionUrl: text('production_url'),
    website: text('website'),
    ...timestamps(),
  },
  (table) => [
    index('projects_program_id_idx').on(table.programId),
    index('projects_owner_id_idx').on(table.ownerId),
  ],
);

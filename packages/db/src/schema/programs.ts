import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { id, timestamps } from './columns.js';

export const programStatuses = ['draft', 'published', 'active', 'completed', 'archived'] as const;
export type ProgramStatus = (typeof programStatuses)[number];

export const programs = pgTable('programs', {
  id: id(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  description: text('description'),
  startsAt: timestamp('starts_at'),
  endsAt: timestamp('ends_at'),
  status: text('status').$type<ProgramStatus>().notNull().default('draft'),
  organizer: text('organizer'),
  applicationUrl: text('application_url'),
  submissionDeadline: timestamp('submission_deadline'),
  tracks: text('tracks').array(),
  ...timestamps(),
});

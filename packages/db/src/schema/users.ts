import { sql } from 'drizzle-orm';
import { check, pgTable, text } from 'drizzle-orm/pg-core';
import { id, timestamps } from './columns.js';

export const userRoles = ['participant', 'mentor', 'organizer', 'admin'] as const;
export type UserRole = (typeof userRoles)[number];

export const users = pgTable(
  'users',
  {
    id: id(),
    email: text('email').notNull().unique(),
    name: text('name').notNull(),
    role: text('role').$type<UserRole>().notNull().default('participant'),
    ...timestamps(),
  },
  (table) => [
    check(
      'users_role_check',
      sql`${table.role} in ('participant', 'mentor', 'organizer', 'admin')`,
    ),
  ],
);

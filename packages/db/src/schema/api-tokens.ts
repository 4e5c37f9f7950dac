import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { id } from './columns.js';
import { users } from './users.js';

/**
 * API tokens for `Authorization: Bearer <token>`. Only the SHA-256 hash of a
 * token is stored, so a leaked table or backup grants nothing; the token itself
 * is shown once, to whoever created it.
 */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** What the token is for, e.g. "demo"; shown in listings instead of the token. */
    label: text('label').notNull(),
    /** Lowercase hex SHA-256 of the token. */
    tokenHash: text('token_hash').notNull().unique(),
    /** A token past this moment is refused; null never expires. */
    expiresAt: timestamp('expires_at'),
    createdAt: timestamp('created_at').notNull().defaultNow(),
  },
  (table) => [index('api_tokens_user_id_idx').on(table.userId)],
);

/**
 * Row types inferred from the schema. Type-only: this entry point compiles to an
 * empty module, so the browser bundle can import it without pulling in drizzle.
 */
import type * as schema from './schema/index.js';

export type User = typeof schema.users.$inferSelect;
export type NewUser = typeof schema.users.$inferInsert;
export type Program = typeof schema.programs.$inferSelect;
export type NewProgram = typeof schema.programs.$inferInsert;
export type Project = typeof schema.projects.$inferSelect;
export type NewProject = typeof schema.projects.$inferInsert;
export type Quest = typeof schema.quests.$inferSelect;
export type NewQuest = typeof schema.quests.$inferInsert;
export type UserQuest = typeof schema.userQuests.$inferSelect;
export type NewUserQuest = typeof schema.userQuests.$inferInsert;
export type Mentorship = typeof schema.mentorships.$inferSelect;
export type NewMentorship = typeof schema.mentorships.$inferInsert;
export type ApiToken = typeof schema.apiTokens.$inferSelect;
export type NewApiToken = typeof schema.apiTokens.$inferInsert;

export type {
  MentorshipStatus,
  ProgramStatus,
  QuestCategory,
  QuestDifficulty,
  SessionNote,
  UserQuestStatus,
  UserRole,
} from './schema/index.js';

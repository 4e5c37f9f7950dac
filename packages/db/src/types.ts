/**
 * Row types inferred from the schema. Type-only: this entry point compiles to an
 * empty module, so the browser bundle can import it without pulling in drizzle.
 */
import type {
  apiTokens,
  mentorships,
  programs,
  projects,
  quests,
  userQuests,
  users,
} from './schema/index.js';

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type Program = typeof programs.$inferSelect;
export type NewProgram = typeof programs.$inferInsert;
export type Project = typeof projects.$inferSelect;
export type NewProject = typeof projects.$inferInsert;
export type Quest = typeof quests.$inferSelect;
export type NewQuest = typeof quests.$inferInsert;
export type UserQuest = typeof userQuests.$inferSelect;
export type NewUserQuest = typeof userQuests.$inferInsert;
export type Mentorship = typeof mentorships.$inferSelect;
export type NewMentorship = typeof mentorships.$inferInsert;
export type ApiToken = typeof apiTokens.$inferSelect;
export type NewApiToken = typeof apiTokens.$inferInsert;

export type {
  MentorshipStatus,
  ProgramStatus,
  QuestCategory,
  QuestDifficulty,
  SessionNote,
  UserQuestStatus,
  UserRole,
} from './schema/index.js';

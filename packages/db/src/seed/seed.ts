import type { JamDatabase } from '../client/create-db.js';
import { mentorships, programs, projects, quests, userQuests, users } from '../schema/index.js';
import {
  demoMentorships,
  demoPrograms,
  demoProjects,
  demoQuests,
  demoUserQuests,
  demoUsers,
} from './demo-data.js';

export interface SeedResult {
  inserted: Record<string, number>;
  reset: boolean;
}

/** Jam's tables, children first, so truncation order never trips a foreign key. */
const jamTables = [mentorships, userQuests, projects, quests, programs, users];

export async function seed(
  db: JamDatabase,
  options: { reset?: boolean } = {},
): Promise<SeedResult> {
  return db.transaction(async (tx) => {
    if (options.reset) {
      for (const table of jamTables) await tx.delete(table);
    }
    const count = async (table: (typeof jamTables)[number], rows: object[]) => {
      if (rows.length === 0) return 0;
      // Natural keys and fixed ids make a second run insert nothing.
      const inserted = await tx
        .insert(table)
        .values(rows as never)
        .onConflictDoNothing()
        .returning({ id: table.id });
      return inserted.length;
    };
    const inserted = {
      users: await count(users, demoUsers),
      programs: await count(programs, demoPrograms),
      quests: await count(quests, demoQuests),
      userQuests: await count(userQuests, demoUserQuests),
      projects: await count(projects, demoProjects),
      mentorships: await count(mentorships, demoMentorships),
    };
    return { inserted, reset: options.reset === true };
  });
}

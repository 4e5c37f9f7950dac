import { type JamDatabase, programs, quests, userQuests } from '@jam/db';
import { asc, eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { type AuthEnv, requireCaller } from '../http/auth.js';
import { questColumns, userQuestColumns } from '../http/public-columns.js';
import { isOpenAt } from '../http/quest-window.js';

export const meRoutes = (db: JamDatabase, now: () => Date) =>
  new Hono<AuthEnv>()
    .use(requireCaller(db, now))
    .get('/', (c) => c.json(c.get('caller')))
    .get('/quests', async (c) => {
      const rows = await db
        .select({
          ...userQuestColumns,
          quest: { ...questColumns, programName: programs.name },
        })
        .from(userQuests)
        .innerJoin(quests, eq(quests.id, userQuests.questId))
        .innerJoin(programs, eq(programs.id, quests.programId))
        .where(eq(userQuests.userId, c.get('caller').id))
        .orderBy(asc(quests.dueDate), asc(quests.title), asc(userQuests.id));
      const at = now();
      return c.json(rows.map((row) => ({ ...row, open: isOpenAt(row.quest, at) })));
    });

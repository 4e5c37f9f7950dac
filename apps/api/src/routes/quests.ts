import { type JamDatabase, quests, userQuests } from '@jam/db';
import { and, asc, eq, ne, type SQL } from 'drizzle-orm';
import { Hono } from 'hono';
import { conflict } from '../errors.js';
import { type AuthEnv, requireCaller, requireParticipant } from '../http/auth.js';
import { findOpenQuest } from '../http/open-quest.js';
import { questColumns, userQuestColumns } from '../http/public-columns.js';
import { openAt } from '../http/quest-window.js';
import { questListQuery, submissionBody } from '../http/request-schemas.js';
import { idParam, jsonBody, queryParams } from '../http/validation.js';

export const questRoutes = (db: JamDatabase, now: () => Date) =>
  new Hono<AuthEnv>()
    .get('/', queryParams(questListQuery), async (c) => {
      const query = c.req.valid('query');
      const conditions: SQL[] = [];
      if (query.programId) conditions.push(eq(quests.programId, query.programId));
      if (query.category) conditions.push(eq(quests.category, query.category));
      if (query.difficulty) conditions.push(eq(quests.difficulty, query.difficulty));
      if (query.available === 'now') conditions.push(openAt(now()));
      const rows = await db
        .select(questColumns)
        .from(quests)
        .where(and(...conditions))
        .orderBy(asc(quests.dueDate), asc(quests.title), asc(quests.id))
        .limit(query.limit)
        .offset(query.offset);
      return c.json(rows);
    })
    .post(
      '/:id/submission',
      requireCaller(db, now),
      idParam,
      jsonBody(submissionBody),
      async (c) => {
        const caller = c.get('caller');
        const questId = c.req.valid('param').id;
        const body = c.req.valid('json');
        requireParticipant(caller, 'submit quests');
        const at = now();
        const quest = await findOpenQuest(db, questId, at, 'takes no submissions');
        const submission = {
          status: 'submitted' as const,
          submissionText: body.submissionText,
          submissionUrls: body.submissionUrls,
        };
        // One statement: a second submission replaces the first, a completed quest stays as it is.
        const [saved] = await db
          .insert(userQuests)
          .values({ userId: caller.id, questId, ...submission })
          .onConflictDoUpdate({
            target: [userQuests.userId, userQuests.questId],
            set: { ...submission, updatedAt: at },
            setWhere: ne(userQuests.status, 'completed'),
          })
          .returning(userQuestColumns);
        if (!saved) {
          throw conflict('already_completed', `You completed "${quest.title}" already.`);
        }
        return c.json(saved);
      },
    );

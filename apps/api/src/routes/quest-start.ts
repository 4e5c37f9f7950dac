import { type JamDatabase, userQuests } from '@jam/db';
import { and, eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { ApiError, conflict } from '../errors.js';
import { type AuthEnv, requireCaller, requireParticipant } from '../http/auth.js';
import { findOpenQuest } from '../http/open-quest.js';
import { userQuestColumns } from '../http/public-columns.js';
import { startQuestBody } from '../http/request-schemas.js';
import { idParam, noBodyOr } from '../http/validation.js';

/** POST /quests/:id/start: a participant takes an open quest; it is theirs, in progress, from then on. */
export const questStartRoutes = (db: JamDatabase, now: () => Date) =>
  new Hono<AuthEnv>().post(
    '/:id/start',
    requireCaller(db, now),
    idParam,
    // Nothing needs sending; what is sent must be an empty object, so a misdirected request fails loudly.
    noBodyOr(startQuestBody),
    async (c) => {
      const caller = c.get('caller');
      const questId = c.req.valid('param').id;
      requireParticipant(caller, 'take quests');
      const quest = await findOpenQuest(db, questId, now(), 'cannot be taken');
      // The unique (user, quest) pair decides between two concurrent starts: one inserts, one conflicts.
      const [started] = await db
        .insert(userQuests)
        .values({ userId: caller.id, questId, status: 'in_progress' })
        .onConflictDoNothing({ target: [userQuests.userId, userQuests.questId] })
        .returning(userQuestColumns);
      if (started) return c.json(started, 201);
      const [existing] = await db
        .select({ status: userQuests.status })
        .from(userQuests)
        .where(and(eq(userQuests.userId, caller.id), eq(userQuests.questId, questId)));
      if (existing?.status === 'completed') {
        throw conflict('already_completed', `You completed "${quest.title}" already.`);
      }
      throw new ApiError(409, 'already_taken', `You took "${quest.title}" already.`);
    },
  );

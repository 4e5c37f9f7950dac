import { type JamDatabase, programs, quests } from '@jam/db';
import { asc, eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { notFound } from '../errors.js';
import { programColumns, questColumns } from '../http/public-columns.js';
import { programListQuery } from '../http/request-schemas.js';
import { idParam, queryParams } from '../http/validation.js';

export const programRoutes = (db: JamDatabase) =>
  new Hono()
    .get('/', queryParams(programListQuery), async (c) => {
      const { limit, offset } = c.req.valid('query');
      const rows = await db
        .select(programColumns)
        .from(programs)
        .orderBy(asc(programs.startsAt), asc(programs.name), asc(programs.id))
        .limit(limit)
        .offset(offset);
      return c.json(rows);
    })
    .get('/:id', idParam, async (c) => {
      const { id } = c.req.valid('param');
      const [program] = await db.select(programColumns).from(programs).where(eq(programs.id, id));
      if (!program) throw notFound(`There is no program with id ${id}.`);
      const programQuests = await db
        .select(questColumns)
        .from(quests)
        .where(eq(quests.programId, id))
        .orderBy(asc(quests.availableFrom), asc(quests.title), asc(quests.id));
      return c.json({ ...program, quests: programQuests });
    });

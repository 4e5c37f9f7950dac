import { type JamDatabase, programs, projects, users } from '@jam/db';
import { asc, eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { projectColumns } from '../http/public-columns.js';
import { projectListQuery } from '../http/request-schemas.js';
import { queryParams } from '../http/validation.js';

/**
 * What participants built, with the program and the owner's name so a list
 * needs no second request. The owner's email stays private.
 */
export const projectRoutes = (db: JamDatabase) =>
  new Hono().get('/', queryParams(projectListQuery), async (c) => {
    const query = c.req.valid('query');
    const rows = await db
      .select({
        ...projectColumns,
        programName: programs.name,
        owner: { id: users.id, name: users.name },
      })
      .from(projects)
      .innerJoin(programs, eq(programs.id, projects.programId))
      .innerJoin(users, eq(users.id, projects.ownerId))
      .where(query.programId ? eq(projects.programId, query.programId) : undefined)
      .orderBy(asc(projects.name), asc(projects.id))
      .limit(query.limit)
      .offset(query.offset);
    return c.json(rows);
  });

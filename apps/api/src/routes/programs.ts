import type { JamDatabase } from '@jam/db';
import { Hono } from 'hono';

/** Everything a visitor may see of a program; bookkeeping timestamps stay private. */
const publicColumns = {
  id: true,
  slug: true,
  name: true,
  description: true,
  status: true,
  startsAt: true,
  endsAt: true,
  organizer: true,
  applicationUrl: true,
  submissionDeadline: true,
  tracks: true,
} as const;

export const programRoutes = (db: JamDatabase) =>
  new Hono().get('/', async (c) => {
    const rows = await db.query.programs.findMany({
      columns: publicColumns,
      orderBy: (program, { asc }) => [asc(program.startsAt), asc(program.name)],
    });
    return c.json(rows);
  });

import type { JamDatabase } from '@jam/db';
import { Hono } from 'hono';
import { errorBody } from './errors.js';
import { healthRoutes } from './routes/health.js';
import { programRoutes } from './routes/programs.js';

/** The whole API on one database; tests call `app.request()` on it without opening a port. */
export function createApp(db: JamDatabase) {
  const app = new Hono().route('/health', healthRoutes()).route('/programs', programRoutes(db));

  app.notFound((c) =>
    c.json(errorBody('not_found', `There is no route ${c.req.method} ${c.req.path}.`), 404),
  );

  // Database errors name tables, columns and hosts: log them for operators, never send them.
  app.onError((error, c) => {
    console.error(`${c.req.method} ${c.req.path} failed:`, error);
    return c.json(
      errorBody('internal', 'Something went wrong on our side; please try again.'),
      500,
    );
  });

  return app;
}

import type { JamDb } from '@jam/db';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError, errorBody } from './errors.js';
import { shorten } from './http/bounded-text.js';
import { corsPolicy } from './http/cors-policy.js';
import { databaseUnavailable, isDatabaseUnavailable } from './http/database-unavailable.js';
import { describeError } from './http/describe-error.js';
import { oneLineLog } from './http/log-line.js';
import { requestTransactions } from './http/request-transaction.js';
import { securityHeaders } from './http/security-headers.js';
import { unstorableTextAnswer } from './http/unstorable-text-error.js';
import { healthRoutes } from './routes/health.js';
import { meRoutes } from './routes/me.js';
import { mentorshipRoutes } from './routes/mentorships.js';
import { programRoutes } from './routes/programs.js';
import { projectRoutes } from './routes/projects.js';
import { questStartRoutes } from './routes/quest-start.js';
import { questRoutes } from './routes/quests.js';
import { readyRoutes } from './routes/ready.js';
import { schemaRoutes } from './routes/schema.js';

export const maxBodyBytes = 1024 * 1024;

export interface AppOptions {
  /** The clock that decides which quests are open; tests pin it. */
  now?: () => Date;
  /** One line per request (method, path, status, time) and per failure; silent when absent. */
  log?: (line: string) => void;
  /** Where unexpected failures are reported; defaults to console.error. */
  logError?: (line: string) => void;
  /** How long `GET /ready` waits for the database before answering 503. */
  readyTimeoutMs?: number;
  /** Web origins allowed to call the API from a browser (`*`: any); none by default. See cors-policy.ts. */
  corsOrigins?: readonly string[];
}

/**
 * The whole API on one database client; tests call `app.request()` on it without
 * opening a port. The engine comes along so `/schema` reads migration history
 * through this same connection (a PGlite folder opens once per process).
 */
export function createApp(jam: Pick<JamDb, 'db' | 'engine'>, options: AppOptions = {}) {
  const transactions = requestTransactions(jam.db);
  const { db } = transactions;
  const now = options.now ?? (() => new Date());
  const logError = oneLineLog(options.logError ?? console.error);
  const app = new Hono();

  app.use(securityHeaders);
  app.use(corsPolicy(options.corsOrigins ?? []));

  if (options.log) {
    const log = oneLineLog(options.log);
    // The path only: query strings and headers (the token) never reach a log.
    app.use(async (c, next) => {
      const started = performance.now();
      await next();
      log(
        `${c.req.method} ${c.req.path} ${c.res.status} ${Math.round(performance.now() - started)}ms`,
      );
    });
  }

  app.use(
    bodyLimit({
      maxSize: maxBodyBytes,
      onError: (c) =>
        c.json(
          errorBody(
            'payload_too_large',
            `The request body is larger than ${maxBodyBytes / 1024 / 1024} MB.`,
          ),
          413,
        ),
    }),
  );

  app.use(transactions.middleware);

  // One chain, so the app's type carries every route's input and response for the typed client.
  const routes = app
    .route('/health', healthRoutes())
    .route('/ready', readyRoutes(jam, options.readyTimeoutMs))
    .route('/programs', programRoutes(db))
    .route('/quests', questRoutes(db, now))
    .route('/quests', questStartRoutes(db, now))
    .route('/projects', projectRoutes(db))
    .route('/me', meRoutes(db, now))
    .route('/mentorships', mentorshipRoutes(db, now))
    .route('/schema', schemaRoutes(jam));

  app.notFound((c) =>
    c.json(
      errorBody('not_found', `There is no route ${c.req.method} ${shorten(c.req.path, 200)}.`),
      404,
    ),
  );

  app.onError((error, c) => {
    if (error instanceof ApiError) return c.json(error.body, error.status);
    const unstorable = unstorableTextAnswer(error);
    if (unstorable) return c.json(unstorable, 400);
    // Database errors name tables, columns, values and hosts: keep them out of logs and answers.
    logError(`${c.req.method} ${c.req.path} failed: ${describeError(error)}`);
    if (isDatabaseUnavailable(error)) return databaseUnavailable(c);
    return c.json(
      errorBody('internal', 'Something went wrong on our side; please try again.'),
      500,
    );
  });

  return routes;
}

/** The API's routes with their inputs and responses: what `hc<AppType>` in the web app is typed by. */
export type AppType = ReturnType<typeof createApp>;

import { serve } from '@hono/node-server';
import { assertSchemaCurrent, createDb, resolveTarget } from '@jam/db';
import { createApp } from './app.js';
import { readDatabaseSettings, SettingError } from './database-settings.js';
import { CorsConfigError, corsOriginsVariable, parseCorsOrigins } from './http/cors-policy.js';
import { describeStartupFailure } from './startup-failure.js';

const port = Number(process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`PORT is "${process.env.PORT}", which is not a port number; use e.g. PORT=3000.`);
  process.exit(2);
}

const settings = (() => {
  try {
    return readDatabaseSettings();
  } catch (error) {
    if (!(error instanceof SettingError)) throw error;
    console.error(error.message);
    process.exit(2);
  }
})();

let corsOrigins: string[];
try {
  corsOrigins = parseCorsOrigins(process.env[corsOriginsVariable]);
} catch (error) {
  if (!(error instanceof CorsConfigError)) throw error;
  console.error(error.message);
  process.exit(2);
}

const purpose = '@jam/api';
let described = { description: 'the database', connectTimeoutMs: settings.bounds.connectTimeoutMs };

/** A known failure is one line that says what to do; a stack trace would bury that. */
function exitOnKnownError(error: unknown): never {
  const line = describeStartupFailure(error, described);
  if (line === null) throw error;
  console.error(line);
  process.exit(1);
}

const target = (() => {
  try {
    return resolveTarget();
  } catch (error) {
    exitOnKnownError(error);
  }
})();
const database = await createDb({ target, purpose, bounds: settings.bounds }).catch(
  exitOnKnownError,
);
described = { ...described, description: database.description };
// Every query against a missing table would fail one request at a time: refuse to start instead.
await assertSchemaCurrent(database).catch(async (error: unknown) => {
  // PGlite must close to release its folder; a stalled server could keep a pool from ending.
  const closed = database.close().catch(() => {});
  await (database.engine === 'pglite'
    ? closed
    : Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 1_000).unref())]));
  exitOnKnownError(error);
});

const app = createApp(database, {
  log: console.log,
  readyTimeoutMs: settings.readyTimeoutMs,
  corsOrigins,
});
const server = serve({ fetch: app.fetch, port }, (info) => {
  console.log(`@jam/api listening on http://localhost:${info.port} (${database.description})`);
});

// PGlite keeps its folder locked while open, so close it before exiting.
let stopping = false;
const stop = (signal: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  console.log(`@jam/api: ${signal} received, shutting down`);
  server.close(() => {
    database.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('@jam/api: closing the database failed:', error);
        process.exit(1);
      },
    );
  });
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

import { serve } from '@hono/node-server';
import { assertSchemaCurrent, createDb, JamDbError, resolveTarget } from '@jam/db';
import { createApp } from './app.js';
import { CorsConfigError, corsOriginsVariable, parseCorsOrigins } from './http/cors-policy.js';

const port = Number(process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`PORT is "${process.env.PORT}", which is not a port number; use e.g. PORT=3000.`);
  process.exit(2);
}

let corsOrigins: string[];
try {
  corsOrigins = parseCorsOrigins(process.env[corsOriginsVariable]);
} catch (error) {
  if (!(error instanceof CorsConfigError)) throw error;
  console.error(error.message);
  process.exit(2);
}

const purpose = '@jam/api';

/** jam-db's errors already say what failed and what to do; a stack trace would bury that. */
function exitOnKnownError(error: unknown): never {
  if (!(error instanceof JamDbError)) throw error;
  console.error(`@jam/api cannot start: ${error.message} ${error.hint ?? ''}`.trim());
  process.exit(1);
}

const target = (() => {
  try {
    return resolveTarget();
  } catch (error) {
    exitOnKnownError(error);
  }
})();
const database = await createDb({ target, purpose }).catch(exitOnKnownError);
// Every query against a missing table would fail one request at a time: refuse to start instead.
await assertSchemaCurrent(database).catch(async (error: unknown) => {
  await database.close();
  exitOnKnownError(error);
});

const server = serve(
  { fetch: createApp(database, { log: console.log, corsOrigins }).fetch, port },
  (info) => {
    console.log(`@jam/api listening on http://localhost:${info.port} (${database.description})`);
  },
);

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

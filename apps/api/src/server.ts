import { serve } from '@hono/node-server';
import { createDb, JamDbError } from '@jam/db';
import { createApp } from './app.js';

const port = Number(process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`PORT is "${process.env.PORT}", which is not a port number; use e.g. PORT=3000.`);
  process.exit(2);
}

// jam-db's own errors already say what to do; a stack trace would bury that.
const database = await createDb({ purpose: '@jam/api' }).catch((error: unknown) => {
  if (!(error instanceof JamDbError)) throw error;
  console.error(`@jam/api could not open the database: ${error.message} ${error.hint ?? ''}`);
  process.exit(1);
});
const server = serve({ fetch: createApp(database.db).fetch, port }, (info) => {
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

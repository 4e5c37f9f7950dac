/**
 * The API's type for the web app's typed client (`hc<AppType>` from
 * hono/client). This entry has types only: the web app imports it with
 * `import type`, so no server code reaches the browser bundle.
 */
export type { AppType } from './app.js';

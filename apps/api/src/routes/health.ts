import { Hono } from 'hono';

/** Liveness only: it answers without touching the database, so a slow database never fails it. */
export const healthRoutes = () => new Hono().get('/', (c) => c.json({ status: 'ok' }));

import { createMiddleware } from 'hono/factory';

/**
 * Every answer is JSON: `nosniff` stops a browser from reading one as HTML or
 * script, whatever it holds. Set after the route ran so error answers get it too.
 */
export const securityHeaders = createMiddleware(async (c, next) => {
  await next();
  c.header('X-Content-Type-Options', 'nosniff');
});

import { cors } from 'hono/cors';

/**
 * Which web origins may call the API from a browser: `CORS_ALLOWED_ORIGINS`, a
 * comma-separated list such as `https://jam.example,http://localhost:5173`, or
 * `*` for any. Unset: none (the web app calls the API through its own origin's
 * `/api` proxy, which needs no CORS). Tokens travel in the Authorization
 * header, never in cookies, so credentials are never allowed.
 */
export const corsOriginsVariable = 'CORS_ALLOWED_ORIGINS';

export class CorsConfigError extends Error {
  override name = 'CorsConfigError';
}

const originPattern = /^https?:\/\/[^/\s?#]+$/i;

/** The allowed origins from the variable's value; throws a message naming the bad entry. */
export function parseCorsOrigins(value: string | undefined): string[] {
  if (value === undefined || value.trim() === '') return [];
  const origins = value.split(',').map((entry) => entry.trim());
  for (const origin of origins) {
    if (origin === '*') continue;
    if (!originPattern.test(origin) || !URL.canParse(origin)) {
      throw new CorsConfigError(
        `${corsOriginsVariable} holds ${JSON.stringify(origin.slice(0, 100))}, which is not an origin: ` +
          'list scheme, host and port only, comma-separated, e.g. https://jam.example,http://localhost:5173, or * for any.',
      );
    }
  }
  return origins.map((origin) => (origin === '*' ? origin : new URL(origin).origin));
}

/**
 * Answers every preflight (`OPTIONS`) itself, before any route asks for a
 * token: a browser sends no Authorization header with a preflight.
 */
export function corsPolicy(allowedOrigins: readonly string[]) {
  const anyOrigin = allowedOrigins.includes('*');
  return cors({
    origin: (origin) => (anyOrigin || allowedOrigins.includes(origin) ? origin : null),
    allowMethods: ['GET', 'POST'],
    allowHeaders: ['Authorization', 'Content-Type'],
    maxAge: 600,
  });
}

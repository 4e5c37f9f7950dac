import type { Context } from 'hono';
import { errorBody } from '../errors.js';

/** Seconds a client should wait before trying again; about one connect timeout. */
export const retryAfterSeconds = 5;

/**
 * SQLSTATEs that mean "the database cannot serve right now", not "this request
 * is wrong": connection failures (class 08), a cancelled statement (57014, the
 * statement_timeout and the late-commit check), the server shutting down or
 * starting (57P01–57P03), the database dropped or missing (57P04, 3D000), no
 * free connection slot (53300) and a session ended for idling in a
 * transaction (25P03).
 */
const unavailableStates = new Set([
  '57014',
  '57P01',
  '57P02',
  '57P03',
  '57P04',
  '3D000',
  '53300',
  '25P03',
]);

/** Node's socket errors: the server is unreachable or went away. */
const socketCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * What node-postgres and Neon's driver say, without a code, when the answer
 * did not come in time or the connection broke.
 */
const driverMessages =
  /query read timeout|timeout exceeded when trying to connect|connection terminated|connection timeout|not queryable|connection error|websocket/i;

/** True when `error` (or one of its causes) says the database is unreachable, stalled or gone. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (unavailableStates.has(code) || code.startsWith('08') || socketCodes.has(code))
        return true;
    }
    const message = current instanceof Error ? current.message : '';
    // drizzle wraps the driver's error and puts the SQL in its own message: only the driver's counts.
    if (!/^Failed query:/.test(message) && driverMessages.test(message)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** 503 with Retry-After: the request did nothing, and the same request may succeed shortly. */
export function databaseUnavailable(c: Context) {
  c.header('Retry-After', String(retryAfterSeconds));
  return c.json(
    errorBody(
      'database_unavailable',
      'The database is not answering right now. Try again shortly.',
    ),
    503,
  );
}

import { JamDbError } from '@jam/db';
import { settingVariables } from './database-settings.js';
import { isDatabaseUnavailable } from './http/database-unavailable.js';
import { describeError } from './http/describe-error.js';

/**
 * The one line the API prints when it cannot start, or null for a failure that
 * is a bug (and deserves its stack trace). Built from the error's code only:
 * a driver's message may hold SQL or connection details.
 */
export function describeStartupFailure(
  error: unknown,
  database: { description: string; connectTimeoutMs: number },
): string | null {
  if (error instanceof JamDbError) {
    return `@jam/api cannot start: ${error.message} ${error.hint ?? ''}`.trim();
  }
  const codes = codesOf(error);
  const refusedCredentials = codes.some((code) => code.startsWith('28'));
  if (!isDatabaseUnavailable(error) && !refusedCredentials) return null;
  return `@jam/api cannot start: ${database.description} ${why(error, codes, database.connectTimeoutMs)}. Check DATABASE_URL and that the server accepts connections (the API waits ${database.connectTimeoutMs} ms for one: ${settingVariables.connectTimeoutMs}).`;
}

function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

function why(error: unknown, codes: string[], connectTimeoutMs: number): string {
  if (codes.includes('ECONNREFUSED')) return 'refused the connection';
  if (codes.includes('ENOTFOUND') || codes.includes('EAI_AGAIN'))
    return 'has a host name that does not resolve';
  if (codes.includes('3D000')) return 'names a database that does not exist';
  if (codes.includes('57P03')) return 'is starting up or shutting down';
  if (codes.some((code) => code.startsWith('28'))) return 'refused the credentials';
  if (/timeout/i.test(error instanceof Error ? `${error.message} ${String(error.cause)}` : '')) {
    return `did not answer within ${connectTimeoutMs} ms`;
  }
  return `is not reachable (${describeError(error)})`;
}

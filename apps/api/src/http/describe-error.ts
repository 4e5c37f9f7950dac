/**
 * What an unexpected error may say in a log line: its class and, for a
 * database error, its SQLSTATE. Never the message: drivers put the SQL, the
 * bound values, table names and sometimes connection details there.
 */
export function describeError(error: unknown): string {
  const name = error instanceof Error ? error.constructor.name : typeof error;
  const state = sqlState(error);
  return state ? `${name} (SQLSTATE ${state})` : name;
}

export function sqlState(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

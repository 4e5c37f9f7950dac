import { isJamDbError, JamDbError } from '../errors.js';
import { describeTarget, scrubPassword, type Target } from '../target/target.js';
import { engineFor } from './engine-for.js';
import { defaultSessionOptions, type Session, type SessionOptions } from './session.js';

/** Opens one connection to the target; a failure to connect says where and what to check. */
export async function openSession(
  target: Target,
  options: Partial<SessionOptions> = {},
): Promise<Session> {
  const settings = { ...defaultSessionOptions, ...options };
  let hint: string | undefined;
  try {
    const engine = await engineFor(target);
    hint = engine.connectionHint;
    return await engine.openSession(settings);
  } catch (error) {
    if (isJamDbError(error)) throw error;
    throw connectionError(error, target, settings.connectTimeoutMs, hint);
  }
}

function connectionError(
  error: unknown,
  target: Target,
  timeoutMs: number,
  hint: string | undefined,
): JamDbError {
  const where = describeTarget(target);
  const code = (error as { code?: string }).code;
  const raw = error instanceof Error ? error.message : String(error);
  const reason =
    code === 'ECONNREFUSED'
      ? 'the connection was refused (is the server running on that host and port?)'
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? 'the host name could not be resolved'
        : /timeout/i.test(raw)
          ? `the server did not answer within ${Math.round(timeoutMs / 1000)}s`
          : scrubPassword(raw, target);
  return new JamDbError('connection', `Could not connect to ${where}: ${reason}.`, hint, {
    cause: error,
  });
}

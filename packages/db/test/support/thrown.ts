import { JamDbError } from '../../src/errors.js';

/** The JamDbError a call throws, so its code, message and hint can be checked together. */
export function thrown(action: () => unknown): JamDbError {
  try {
    action();
  } catch (error) {
    if (error instanceof JamDbError) return error;
    throw error;
  }
  throw new Error('expected a JamDbError, nothing was thrown');
}

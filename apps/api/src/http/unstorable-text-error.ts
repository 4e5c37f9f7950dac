import { type ErrorBody, errorBody } from '../errors.js';
import { sqlState } from './describe-error.js';
import { unstorableTextMessage } from './storable-text.js';

/**
 * SQLSTATE 22021 (a NUL byte in text), 22P05 (a `\u0000` escape in jsonb) and
 * 22P02 (how jsonb rejects a lone surrogate escape, and any value that is not
 * valid input for its type) mean the client sent text the database cannot
 * store. Validation rejects that first, naming the field; this is the net for
 * a field it missed, so such input is still the client's 400 and never a 500.
 */
const unstorableTextStates = new Set(['22021', '22P05', '22P02']);

export function unstorableTextAnswer(error: unknown): ErrorBody | undefined {
  const state = sqlState(error);
  if (!state || !unstorableTextStates.has(state)) return undefined;
  return errorBody('invalid_request', `A text field of the request ${unstorableTextMessage}.`);
}

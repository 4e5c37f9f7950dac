import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** The one shape every failed request answers with, so clients parse errors in one place. */
export interface ErrorBody {
  error: { code: string; message: string };
}

export const errorBody = (code: string, message: string): ErrorBody => ({
  error: { code, message },
});

export type ApiErrorCode =
  | 'invalid_json'
  | 'invalid_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'quest_closed'
  | 'already_completed'
  | 'already_taken'
  | 'already_paired'
  | 'mentorship_closed'
  | 'rating_final'
  | 'too_many_notes'
  | 'payload_too_large'
  | 'database_unavailable'
  | 'note_too_large'
  | 'unsupported_media_type'
  | 'internal';

/**
 * A failure the client caused or may act on. Routes throw it; the app's error
 * handler turns it into `{ error: { code, message } }` with its status. Its
 * message is written for the client and never holds database details.
 */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
  }

  get body(): ErrorBody {
    return errorBody(this.code, this.message);
  }
}

export const badRequest = (message: string) => new ApiError(400, 'invalid_request', message);
export const notFound = (message: string) => new ApiError(404, 'not_found', message);
export const forbidden = (message: string) => new ApiError(403, 'forbidden', message);
export type ConflictCode =
  | 'quest_closed'
  | 'already_completed'
  | 'already_paired'
  | 'mentorship_closed'
  | 'rating_final'
  | 'too_many_notes';
export const conflict = (code: ConflictCode, message: string) => new ApiError(409, code, message);

import type { AppType } from '@jam/api/app-type';
import { type ClientRequestOptions, type ClientResponse, hc } from 'hono/client';
import { friendlyMessage } from './friendly-errors.js';

/**
 * The API under /api (Vite's dev server and the preview server proxy it),
 * typed by the API's own routes: a route that changes what it answers is a
 * type error here, not a surprise in the browser.
 */
export const api = hc<AppType>('/api');

/**
 * A failed call. Its `message` is a sentence for people (see
 * friendly-errors.ts), its `code` the API's error code for the code that reacts
 * to it, and `detail` the API's own message for whoever debugs.
 */
export class ApiFailure extends Error {
  override name = 'ApiFailure';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
  ) {
    super(friendlyMessage(code, detail));
  }
}

export interface CallOptions {
  token?: string | null;
  signal?: AbortSignal;
}

/** The per-call options of the typed client: the token as a bearer header and the abort signal. */
export const requestOptions = ({ token, signal }: CallOptions = {}): ClientRequestOptions => ({
  headers: token
    ? { accept: 'application/json', authorization: `Bearer ${token}` }
    : { accept: 'application/json' },
  init: signal ? { signal } : {},
});

/** What a typed response's `json()` gives, over every answer the route declares. */
export type Answer<R> = R extends ClientResponse<infer Body, number, 'json'> ? Body : never;

/**
 * Sends one call of the typed client (`send` gets the options to pass on) and
 * returns its JSON; a failure of the network, the API or its JSON becomes an
 * ApiFailure. An abort stays an abort: it is the caller's own doing.
 */
export async function call<R extends ClientResponse<unknown, number, 'json'>>(
  send: (options: ClientRequestOptions) => Promise<R>,
  options: CallOptions = {},
): Promise<Answer<R>> {
  let response: R;
  try {
    response = await send(requestOptions(options));
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiFailure(0, 'unavailable', error instanceof Error ? error.message : String(error));
  }
  if (!response.ok) throw await failureOf(response as unknown as Response);
  try {
    return (await response.json()) as Answer<R>;
  } catch {
    throw new ApiFailure(
      response.status,
      'unavailable',
      `${response.url || 'The API'} answered ${response.status} with something other than JSON`,
    );
  }
}

/** The API's own error when it sent one; the dev proxy answers with an empty body when the API is down. */
export async function failureOf(response: Response): Promise<ApiFailure> {
  const body = (await response.json().catch(() => null)) as {
    error?: { code?: string; message?: string };
  } | null;
  return new ApiFailure(
    response.status,
    body?.error?.code ?? 'unavailable',
    body?.error?.message ?? `The API answered ${response.status}; is it running?`,
  );
}

/** The sentence to show for any failure: the API's, made friendly, or a plain apology for a bug of ours. */
export const messageOf = (error: unknown): string =>
  error instanceof ApiFailure ? error.message : friendlyMessage('internal');

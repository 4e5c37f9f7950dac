import { friendlyMessage } from './friendly-errors.js';

/**
 * Calls the API under /api (Vite's dev server and the preview server proxy it).
 * A failure becomes an ApiFailure: its `message` is a sentence for people (see
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

export interface ApiRequest {
  token?: string | null;
  method?: 'GET' | 'POST';
  body?: unknown;
  signal?: AbortSignal;
}

export async function apiFetch<T>(path: string, request: ApiRequest = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (request.token) headers.authorization = `Bearer ${request.token}`;
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`/api${path}`, {
      method: request.method ?? 'GET',
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: request.signal,
    });
  } catch (error) {
    // An abort is the caller's own doing; anything else means the network or server is gone.
    if (request.signal?.aborted) throw error;
    throw new ApiFailure(0, 'unavailable', error instanceof Error ? error.message : String(error));
  }
  if (!response.ok) throw await failureOf(response);
  try {
    return (await response.json()) as T;
  } catch {
    throw new ApiFailure(
      response.status,
      'unavailable',
      `${request.method ?? 'GET'} ${path} answered something other than JSON`,
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

/**
 * Calls the API under /api (Vite's dev server and the preview server proxy it).
 * A failure becomes an ApiFailure carrying the API's `{ error: { code, message } }`.
 */
export class ApiFailure extends Error {
  override name = 'ApiFailure';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
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
  const response = await fetch(`/api${path}`, {
    method: request.method ?? 'GET',
    headers,
    body: request.body === undefined ? undefined : JSON.stringify(request.body),
    signal: request.signal,
  });
  if (!response.ok) throw await failureOf(response);
  return (await response.json()) as T;
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

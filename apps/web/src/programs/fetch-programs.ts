import type { ProgramSummary } from './program-summary.js';

export async function fetchPrograms(signal: AbortSignal): Promise<ProgramSummary[]> {
  const response = await fetch('/api/programs', { signal });
  if (!response.ok) throw new Error(await describeFailure(response));
  return (await response.json()) as ProgramSummary[];
}

/** The API's `{ error: { message } }` when it sent one; the dev proxy sends an empty body when the API is down. */
async function describeFailure(response: Response): Promise<string> {
  const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
  return body?.error?.message ?? `The API answered ${response.status}; is it running?`;
}

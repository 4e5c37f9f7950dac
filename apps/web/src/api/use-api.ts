import type { ClientRequestOptions, ClientResponse } from 'hono/client';
import { useCallback, useEffect, useState } from 'react';
import { type Answer, call, messageOf } from './client.js';

export type Load<T> =
  | { state: 'loading' }
  | { state: 'failed'; message: string }
  | { state: 'loaded'; data: T };

/**
 * Loads through `send`, a call of the typed client, and again when `key` (what
 * is asked for, e.g. the path), the token or `reload()` changes; a `null` key
 * waits. A stale request is aborted.
 */
export function useApi<R extends ClientResponse<unknown, number, 'json'>>(
  key: string | null,
  send: (options: ClientRequestOptions) => Promise<R>,
  token?: string | null,
) {
  const [load, setLoad] = useState<Load<Answer<R>>>({ state: 'loading' });
  const [generation, setGeneration] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: key names what send asks for; generation is the reload trigger.
  useEffect(() => {
    if (key === null) return;
    const controller = new AbortController();
    setLoad((previous) => (previous.state === 'loaded' ? previous : { state: 'loading' }));
    call(send, { token, signal: controller.signal }).then(
      (data) => setLoad({ state: 'loaded', data }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setLoad({ state: 'failed', message: messageOf(error) });
      },
    );
    return () => controller.abort();
  }, [key, token, generation]);

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { load, reload };
}

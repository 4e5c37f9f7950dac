import { useCallback, useEffect, useState } from 'react';
import { apiFetch, messageOf } from './client.js';

export type Load<T> =
  | { state: 'loading' }
  | { state: 'failed'; message: string }
  | { state: 'loaded'; data: T };

/** GETs `path` (again when it, the token or `reload()` changes); aborts a stale request. */
export function useApi<T>(path: string | null, token?: string | null) {
  const [load, setLoad] = useState<Load<T>>({ state: 'loading' });
  const [generation, setGeneration] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: generation is the reload trigger.
  useEffect(() => {
    if (path === null) return;
    const controller = new AbortController();
    setLoad((previous) => (previous.state === 'loaded' ? previous : { state: 'loading' }));
    apiFetch<T>(path, { token, signal: controller.signal }).then(
      (data) => setLoad({ state: 'loaded', data }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setLoad({
          state: 'failed',
          message: messageOf(error),
        });
      },
    );
    return () => controller.abort();
  }, [path, token, generation]);

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { load, reload };
}

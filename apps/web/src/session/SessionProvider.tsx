import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { api, call } from '../api/client.js';
import type { Caller } from '../api/responses.js';
import { SessionContext, tokenStorageKey } from './session.js';

export function SessionProvider({ children }: { children: ReactNode }) {
  const [token, setToken] = useState<string | null>(() => localStorage.getItem(tokenStorageKey));
  const [caller, setCaller] = useState<Caller | null>(null);

  // A stored token may have been revoked or the database reseeded: ask who it belongs to.
  useEffect(() => {
    if (!token || caller) return;
    const controller = new AbortController();
    call((options) => api.me.$get(undefined, options), {
      token,
      signal: controller.signal,
    }).then(setCaller, () => {
      if (controller.signal.aborted) return;
      localStorage.removeItem(tokenStorageKey);
      setToken(null);
    });
    return () => controller.abort();
  }, [token, caller]);

  const session = useMemo(
    () => ({
      token,
      caller,
      signIn(newToken: string, newCaller: Caller) {
        localStorage.setItem(tokenStorageKey, newToken);
        setToken(newToken);
        setCaller(newCaller);
      },
      signOut() {
        localStorage.removeItem(tokenStorageKey);
        setToken(null);
        setCaller(null);
      },
    }),
    [token, caller],
  );
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

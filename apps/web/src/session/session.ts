import { createContext, useContext } from 'react';
import type { Caller } from '../api/responses.js';

/** The signed-in user and their token; the token lives in localStorage between visits. */
export interface Session {
  token: string | null;
  caller: Caller | null;
  signIn(token: string, caller: Caller): void;
  signOut(): void;
}

export const SessionContext = createContext<Session>({
  token: null,
  caller: null,
  signIn: () => {},
  signOut: () => {},
});

export const useSession = () => useContext(SessionContext);

export const tokenStorageKey = 'jam.apiToken';

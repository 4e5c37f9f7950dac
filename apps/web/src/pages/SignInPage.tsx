import { type FormEvent, useState } from 'react';
import { ApiFailure, api, call, messageOf } from '../api/client.js';
import { hrefOf } from '../routing/route.js';
import { useSession } from '../session/session.js';

export function SignInPage() {
  const session = useSession();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function signIn(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const trimmed = token.trim();
      const caller = await call((options) => api.me.$get(undefined, options), {
        token: trimmed,
      });
      session.signIn(trimmed, caller);
      window.location.hash = hrefOf({ page: 'my-quests' });
    } catch (failure) {
      setError(
        failure instanceof ApiFailure && failure.code === 'unauthorized'
          ? 'That token was not recognised, or it has expired. Check that you pasted all of it.'
          : messageOf(failure),
      );
    } finally {
      setBusy(false);
    }
  }

  if (session.caller) {
    return (
      <section>
        <h1>Signed in</h1>
        <p>
          You are signed in as {session.caller.name} ({session.caller.role}).
        </p>
        <button type="button" onClick={session.signOut}>
          Sign out
        </button>
      </section>
    );
  }
  return (
    <section>
      <h1>Sign in</h1>
      <p>
        Paste an API token. <code>pnpm db:seed</code> prints a development token for each demo user.
      </p>
      <form onSubmit={signIn} className="stack">
        <label>
          API token
          <input
            name="token"
            value={token}
            onChange={(event) => setToken(event.target.value)}
            autoComplete="off"
            required
          />
        </label>
        <button type="submit" disabled={busy}>
          Sign in
        </button>
        {error && <p role="alert">{error}</p>}
      </form>
    </section>
  );
}

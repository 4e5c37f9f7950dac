import { hrefOf } from '../routing/route.js';

export function SignInFirst({ what }: { what: string }) {
  return (
    <p>
      <a href={hrefOf({ page: 'sign-in' })}>Sign in</a> to see {what}.
    </p>
  );
}

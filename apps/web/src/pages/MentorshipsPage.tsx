import { api } from '../api/client.js';
import { useApi } from '../api/use-api.js';
import { MentorshipCard } from '../mentorships/MentorshipCard.js';
import { useSession } from '../session/session.js';
import { LoadState } from './LoadState.js';
import { SignInFirst } from './SignInFirst.js';

export function MentorshipsPage() {
  const { token, caller } = useSession();
  const { load, reload } = useApi(
    token ? '/mentorships' : null,
    (options) => api.mentorships.$get({ query: {} }, options),
    token,
  );
  if (!token || !caller) return <SignInFirst what="your mentorships" />;
  return (
    <section>
      <h1>Mentorships</h1>
      <LoadState load={load} what="your mentorships">
        {(mentorships) =>
          mentorships.length === 0 ? (
            <p>No mentorships yet.</p>
          ) : (
            mentorships.map((mentorship) => (
              <MentorshipCard
                key={mentorship.id}
                mentorship={mentorship}
                caller={caller}
                onChanged={reload}
              />
            ))
          )
        }
      </LoadState>
    </section>
  );
}

import { api } from '../api/client.js';
import { useApi } from '../api/use-api.js';
import { ProgramCard } from '../programs/ProgramCard.js';
import { LoadState } from './LoadState.js';

export function ProgramsPage() {
  const { load } = useApi('/programs', (options) => api.programs.$get({ query: {} }, options));
  const now = new Date();
  return (
    <section>
      <h1>Programs</h1>
      <LoadState load={load} what="programs">
        {(programs) =>
          programs.length === 0 ? (
            <p>No programs yet. Run `pnpm db:seed` for demo data.</p>
          ) : (
            programs.map((program) => <ProgramCard key={program.id} program={program} now={now} />)
          )
        }
      </LoadState>
    </section>
  );
}

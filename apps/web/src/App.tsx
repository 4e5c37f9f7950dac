import { useEffect, useState } from 'react';
import { fetchPrograms } from './programs/fetch-programs.js';
import { ProgramCard } from './programs/ProgramCard.js';
import type { ProgramSummary } from './programs/program-summary.js';

type Load =
  | { state: 'loading' }
  | { state: 'failed'; message: string }
  | { state: 'loaded'; programs: ProgramSummary[] };

export function App() {
  const [load, setLoad] = useState<Load>({ state: 'loading' });

  useEffect(() => {
    // Aborting on unmount keeps a late answer from StrictMode's first mount out of the state.
    const controller = new AbortController();
    fetchPrograms(controller.signal).then(
      (programs) => setLoad({ state: 'loaded', programs }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setLoad({
          state: 'failed',
          message: error instanceof Error ? error.message : String(error),
        });
      },
    );
    return () => controller.abort();
  }, []);

  return (
    <main>
      <h1>Jam programs</h1>
      {load.state === 'loading' && <p>Loading…</p>}
      {load.state === 'failed' && <p role="alert">Could not load programs: {load.message}</p>}
      {load.state === 'loaded' && load.programs.length === 0 && <p>No programs yet.</p>}
      {load.state === 'loaded' &&
        load.programs.map((program) => <ProgramCard key={program.id} program={program} />)}
    </main>
  );
}

import type { ReactNode } from 'react';
import type { Load } from '../api/use-api.js';

/** The loading and failure states every page shows the same way. */
export function LoadState<T>({
  load,
  what,
  children,
}: {
  load: Load<T>;
  what: string;
  children: (data: T) => ReactNode;
}) {
  if (load.state === 'loading') return <p>Loading {what}…</p>;
  if (load.state === 'failed') {
    return (
      <p role="alert">
        Could not load {what}: {load.message}
      </p>
    );
  }
  return <>{children(load.data)}</>;
}

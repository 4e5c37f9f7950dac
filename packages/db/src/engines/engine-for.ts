import type { Target } from '../target/target.js';
import type { Engine } from './engine.js';

/**
 * The engine for a target: the only place that asks which kind it is. Each
 * engine is imported only when chosen, so `status` against PostgreSQL never
 * loads PGlite's WebAssembly and the embedded default never loads `pg`.
 */
export async function engineFor(target: Target): Promise<Engine> {
  switch (target.engine) {
    case 'pglite':
      return (await import('./pglite/pglite-engine.js')).pgliteEngine(target.dataDir);
    case 'postgres':
      return (await import('./postgres/postgres-engine.js')).postgresEngine(target.url);
    case 'neon':
      return (await import('./neon/neon-engine.js')).neonEngine(target.url);
  }
}

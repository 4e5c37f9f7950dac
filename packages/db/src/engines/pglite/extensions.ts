import type { Extension, Extensions } from '@electric-sql/pglite';
import { JamDbError } from '../../errors.js';

/**
 * The extensions PGlite can run, by the name `CREATE EXTENSION` uses. Each is a
 * separate bundle that PGlite unpacks and links when it opens, which costs about
 * a tenth of a second per extension (README, "PGlite and extensions"), so jam-db
 * loads only those a database has or its migrations create. `vector` comes from
 * `@electric-sql/pglite-pgvector`, released for our pinned PGlite; the rest from
 * PGlite's own contrib folder. plpgsql is built in and needs no bundle.
 */
const bundles: Record<string, () => Promise<Extension>> = {
  amcheck: async () => (await import('@electric-sql/pglite/contrib/amcheck')).amcheck,
  bloom: async () => (await import('@electric-sql/pglite/contrib/bloom')).bloom,
  btree_gin: async () => (await import('@electric-sql/pglite/contrib/btree_gin')).btree_gin,
  btree_gist: async () => (await import('@electric-sql/pglite/contrib/btree_gist')).btree_gist,
  citext: async () => (await import('@electric-sql/pglite/contrib/citext')).citext,
  cube: async () => (await import('@electric-sql/pglite/contrib/cube')).cube,
  dict_int: async () => (await import('@electric-sql/pglite/contrib/dict_int')).dict_int,
  dict_xsyn: async () => (await import('@electric-sql/pglite/contrib/dict_xsyn')).dict_xsyn,
  earthdistance: async () =>
    (await import('@electric-sql/pglite/contrib/earthdistance')).earthdistance,
  file_fdw: async () => (await import('@electric-sql/pglite/contrib/file_fdw')).file_fdw,
  fuzzystrmatch: async () =>
    (await import('@electric-sql/pglite/contrib/fuzzystrmatch')).fuzzystrmatch,
  hstore: async () => (await import('@electric-sql/pglite/contrib/hstore')).hstore,
  intarray: async () => (await import('@electric-sql/pglite/contrib/intarray')).intarray,
  isn: async () => (await import('@electric-sql/pglite/contrib/isn')).isn,
  lo: async () => (await import('@electric-sql/pglite/contrib/lo')).lo,
  ltree: async () => (await import('@electric-sql/pglite/contrib/ltree')).ltree,
  moddatetime: async () => (await import('@electric-sql/pglite/contrib/moddatetime')).moddatetime,
  pageinspect: async () => (await import('@electric-sql/pglite/contrib/pageinspect')).pageinspect,
  pg_buffercache: async () =>
    (await import('@electric-sql/pglite/contrib/pg_buffercache')).pg_buffercache,
  pg_freespacemap: async () =>
    (await import('@electric-sql/pglite/contrib/pg_freespacemap')).pg_freespacemap,
  pg_stat_statements: async () =>
    (await import('@electric-sql/pglite/contrib/pg_stat_statements')).pg_stat_statements,
  pg_surgery: async () => (await import('@electric-sql/pglite/contrib/pg_surgery')).pg_surgery,
  pg_trgm: async () => (await import('@electric-sql/pglite/contrib/pg_trgm')).pg_trgm,
  pg_visibility: async () =>
    (await import('@electric-sql/pglite/contrib/pg_visibility')).pg_visibility,
  pg_walinspect: async () =>
    (await import('@electric-sql/pglite/contrib/pg_walinspect')).pg_walinspect,
  pgcrypto: async () => (await import('@electric-sql/pglite/contrib/pgcrypto')).pgcrypto,
  seg: async () => (await import('@electric-sql/pglite/contrib/seg')).seg,
  tablefunc: async () => (await import('@electric-sql/pglite/contrib/tablefunc')).tablefunc,
  tcn: async () => (await import('@electric-sql/pglite/contrib/tcn')).tcn,
  tsm_system_rows: async () =>
    (await import('@electric-sql/pglite/contrib/tsm_system_rows')).tsm_system_rows,
  tsm_system_time: async () =>
    (await import('@electric-sql/pglite/contrib/tsm_system_time')).tsm_system_time,
  unaccent: async () => (await import('@electric-sql/pglite/contrib/unaccent')).unaccent,
  'uuid-ossp': async () => (await import('@electric-sql/pglite/contrib/uuid_ossp')).uuid_ossp,
  vector: async () => (await import('@electric-sql/pglite-pgvector')).vector,
};

/** What an extension needs installed first (its control file's `requires`). */
const requires: Record<string, string[]> = { earthdistance: ['cube'] };

/** Part of PGlite itself: always there, nothing to load. */
const builtIn = new Set(['plpgsql']);

/** An extension some work will create, and where that was asked for (for messages). */
export interface ExtensionNeed {
  name: string;
  /** E.g. `line 3 of migrations/0005_geo.sql`. */
  neededBy: string;
}

export const shippedExtensionNames = (): string[] => Object.keys(bundles).sort();

/** Whether PGlite has to be opened with a bundle for this extension to work. */
export const needsBundle = (name: string): boolean => Object.hasOwn(bundles, name);

export const pgliteRunsExtension = (name: string): boolean =>
  builtIn.has(name) || needsBundle(name);

/**
 * The bundles to hand `PGlite.create` for these extensions (with what they
 * require); names PGlite does not ship and built-in ones are left out.
 */
export async function extensionBundles(names: Iterable<string>): Promise<Extensions> {
  const wanted = new Set<string>();
  const add = (name: string) => {
    if (!needsBundle(name) || wanted.has(name)) return;
    wanted.add(name);
    for (const first of requires[name] ?? []) add(first);
  };
  for (const name of names) add(name);
  const loaded = await Promise.all([...wanted].map(async (name) => [name, await bundles[name]!()]));
  return Object.fromEntries(loaded);
}

/** Stops before anything runs when the work needs an extension PGlite cannot give. */
export function refuseUnshippedExtensions(needs: readonly ExtensionNeed[]): void {
  const missing = needs.filter((need) => !pgliteRunsExtension(need.name));
  if (missing.length === 0) return;
  const names = [...new Set(missing.map((need) => need.name))];
  const where = missing.map((need) => `"${need.name}" (${need.neededBy})`).join(', ');
  throw new JamDbError(
    'extension-unavailable',
    `These migrations cannot run on PGlite: they create extension${missing.length > 1 ? 's' : ''} ${where}, which PGlite does not ship. Nothing was changed.`,
    `Run them on PostgreSQL with ${names.join(', ')} installed: DATABASE_URL=postgres://user@host:5432/db. PGlite ships ${shippedExtensionNames().join(', ')}.`,
  );
}

import { JamDbError } from '../errors.js';

/**
 * Names that only an extension defines, for the ones real histories use most.
 * A migration that uses one without creating its extension first (the history
 * relied on a database where someone had created it by hand) fails with
 * "does not exist", which does not say what is missing.
 */
const providedBy: Record<string, string> = {
  gin_trgm_ops: 'pg_trgm',
  gist_trgm_ops: 'pg_trgm',
  similarity: 'pg_trgm',
  word_similarity: 'pg_trgm',
  uuid_generate_v1: 'uuid-ossp',
  uuid_generate_v1mc: 'uuid-ossp',
  uuid_generate_v3: 'uuid-ossp',
  uuid_generate_v4: 'uuid-ossp',
  uuid_generate_v5: 'uuid-ossp',
  gen_random_bytes: 'pgcrypto',
  gen_salt: 'pgcrypto',
  crypt: 'pgcrypto',
  digest: 'pgcrypto',
  hmac: 'pgcrypto',
  vector: 'vector',
  halfvec: 'vector',
  sparsevec: 'vector',
  vector_cosine_ops: 'vector',
  vector_l2_ops: 'vector',
  vector_ip_ops: 'vector',
  halfvec_cosine_ops: 'vector',
  halfvec_l2_ops: 'vector',
  citext: 'citext',
  hstore: 'hstore',
  ltree: 'ltree',
};

/** undefined_object (types, operator classes) and undefined_function. */
const undefinedThing = new Set(['42704', '42883']);

/** The extension a "does not exist" error points at, when the missing name is one only it defines. */
export function missingExtensionOf(error: unknown): { name: string; extension: string } | null {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  if (!code || !undefinedThing.has(code) || !message) return null;
  const named = /^(?:type|operator class|function) "?([\w.]+)"?(?:\(|\s|$)/.exec(message)?.[1];
  const name = named?.split('.').at(-1)?.toLowerCase();
  const extension = name === undefined ? undefined : providedBy[name];
  return name && extension ? { name, extension } : null;
}

/** A failed migration that used an extension nobody created gets a hint that says so. */
export function withExtensionHint(error: unknown): unknown {
  if (!(error instanceof JamDbError) || error.code !== 'migration-failed') return error;
  const missing = missingExtensionOf(error.cause);
  if (!missing) return error;
  return new JamDbError(
    error.code,
    error.message,
    `"${missing.name}" comes from the extension ${missing.extension}, which no migration before this one creates. Add CREATE EXTENSION IF NOT EXISTS "${missing.extension}"; before its first use (at the top of this migration, if no database has applied it yet), or create the extension in the database before migrating.`,
    { cause: error.cause },
  );
}

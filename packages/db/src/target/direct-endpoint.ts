import { JamDbError } from '../errors.js';
import { describeTarget, resolveTarget, type Target, type TargetEnv } from './target.js';

export interface DirectEndpointEnv extends TargetEnv {
  JAM_DB_DIRECT_URL?: string | undefined;
}

/** Where a command that needs one server connection for its whole run connects, and why. */
export interface DirectEndpoint {
  target: Target;
  /** One line for the user when jam-db chose another endpoint than DATABASE_URL's. */
  note?: string;
}

/**
 * Neon's pooled endpoint is the compute endpoint's host with `-pooler` after its
 * first label (`ep-x-123-pooler.eu-central-1.aws.neon.tech`); the same host
 * without it reaches the server directly. Returns null for any other host.
 */
export function neonDirectHost(hostname: string): string | null {
  const [first, ...rest] = hostname.split('.');
  if (!first?.endsWith('-pooler') || first === '-pooler' || rest.length === 0) return null;
  return [first.slice(0, -'-pooler'.length), ...rest].join('.');
}

/**
 * The endpoint for the migration session of `target`: JAM_DB_DIRECT_URL when
 * set; for Neon's pooled endpoint, the direct one; otherwise the target itself
 * (which `openMigrationSession` then probes for a transaction pooler).
 */
export function directEndpoint(
  target: Target,
  env: DirectEndpointEnv = process.env,
): DirectEndpoint {
  const directUrl = env.JAM_DB_DIRECT_URL?.trim();
  if (directUrl) {
    if (target.engine === 'pglite') {
      throw new JamDbError(
        'config',
        `JAM_DB_DIRECT_URL is set, but DATABASE_URL points at ${describeTarget(target)}, so migrations and the application would use different databases.`,
        'Unset JAM_DB_DIRECT_URL, or set DATABASE_URL to the server it belongs to.',
      );
    }
    const direct = resolveTarget({ ...env, DATABASE_URL: directUrl });
    if (direct.engine === 'pglite') {
      throw new JamDbError(
        'config',
        'JAM_DB_DIRECT_URL must be a postgres:// URL of the server itself (not behind a pooler).',
        'Set it to e.g. postgres://user:password@db-host:5432/db, or unset it.',
      );
    }
    return {
      target: direct,
      note: `Using JAM_DB_DIRECT_URL for the migration session: ${describeTarget(direct)}`,
    };
  }
  if (target.engine === 'pglite') return { target };
  const url = new URL(target.url);
  const isNeonHost = target.engine === 'neon' || url.hostname.endsWith('.neon.tech');
  const host = isNeonHost ? neonDirectHost(url.hostname) : null;
  if (!host) return { target };
  const pooledHost = url.hostname;
  url.hostname = host;
  return {
    target: { ...target, url: url.toString() },
    note: `DATABASE_URL is Neon's pooled endpoint (${pooledHost}); the migration session uses the direct endpoint ${host}, since its lock and settings need one server connection.`,
  };
}

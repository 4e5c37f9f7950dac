import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { JamDbError } from '../errors.js';
import { packageRoot } from '../package-root.js';

/** Where a connection goes, decided from `DATABASE_URL` and `JAM_DB_DRIVER`. */
export type Target =
  | { engine: 'pglite'; dataDir: string | null }
  | { engine: 'postgres'; url: string }
  | { engine: 'neon'; url: string };

export type EngineKind = Target['engine'];

export interface TargetEnv {
  DATABASE_URL?: string | undefined;
  JAM_DB_DRIVER?: string | undefined;
  INIT_CWD?: string | undefined;
}

/**
 * The directory the user typed the command in. pnpm runs scripts inside the
 * package folder but records the caller's directory in INIT_CWD.
 */
export const userCwd = (env: TargetEnv = process.env): string => env.INIT_CWD ?? process.cwd();

/** The monorepo root: the nearest folder above `start` holding pnpm-workspace.yaml. */
export function findRepoRoot(start: string): string | null {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** `<repo root>/.jam/pglite`, found from this package's own location first so every workspace agrees. */
export function defaultPgliteDir(env: TargetEnv = process.env): string {
  const root = findRepoRoot(packageRoot()) ?? findRepoRoot(userCwd(env)) ?? userCwd(env);
  return join(root, '.jam', 'pglite');
}

const driverNames = ['pglite', 'postgres', 'neon'] as const;

export function resolveTarget(env: TargetEnv = process.env): Target {
  const url = env.DATABASE_URL?.trim();
  const driver = env.JAM_DB_DRIVER?.trim();
  if (driver && !(driverNames as readonly string[]).includes(driver)) {
    throw new JamDbError(
      'config',
      `JAM_DB_DRIVER is "${driver}", which is not a driver jam-db knows.`,
      `Use one of ${driverNames.join(', ')}, or unset it to choose from DATABASE_URL.`,
    );
  }
  if (!url) {
    if (driver && driver !== 'pglite') {
      throw new JamDbError(
        'config',
        `JAM_DB_DRIVER=${driver} needs a DATABASE_URL, and none is set.`,
        'Set DATABASE_URL=postgres://user:password@host/db, or unset JAM_DB_DRIVER to use the embedded PGlite.',
      );
    }
    return { engine: 'pglite', dataDir: defaultPgliteDir(env) };
  }
  if (url.startsWith('pglite:')) {
    const location = url.slice('pglite:'.length);
    if (location === 'memory' || location === '') return { engine: 'pglite', dataDir: null };
    return {
      engine: 'pglite',
      dataDir: isAbsolute(location) ? location : resolve(userCwd(env), location),
    };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new JamDbError(
      'config',
      'DATABASE_URL is not a URL jam-db can read.',
      'Use postgres://user:password@host:5432/db, pglite:<folder>, pglite:memory, or unset it for the embedded database.',
    );
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new JamDbError(
      'config',
      `DATABASE_URL uses the scheme "${parsed.protocol}", which jam-db does not support.`,
      'Use postgres://…, postgresql://…, pglite:<folder> or pglite:memory.',
    );
  }
  if (driver === 'pglite') {
    throw new JamDbError(
      'config',
      'JAM_DB_DRIVER=pglite conflicts with a postgres:// DATABASE_URL.',
      'Use DATABASE_URL=pglite:<folder> for PGlite, or unset JAM_DB_DRIVER.',
    );
  }
  const neon = driver === 'neon' || parsed.hostname.endsWith('.neon.tech');
  return { engine: driver === 'postgres' ? 'postgres' : neon ? 'neon' : 'postgres', url };
}

/** A URL with its password replaced, safe to print. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unreadable DATABASE_URL>';
  }
}

/** What the target is, for messages: never includes a password. */
export function describeTarget(target: Target): string {
  if (target.engine === 'pglite') {
    return target.dataDir ? `PGlite at ${target.dataDir}` : 'PGlite in memory';
  }
  const label = target.engine === 'neon' ? 'Neon' : 'PostgreSQL';
  return `${label} at ${redactUrl(target.url)}`;
}

/** Removes the password of `url` from any text, a last guard for messages that come from drivers. */
export function scrubPassword(text: string, target: Target): string {
  if (target.engine === 'pglite') return text;
  let password = '';
  try {
    password = decodeURIComponent(new URL(target.url).password);
  } catch {
    return text;
  }
  if (!password) return text;
  return text.split(password).join('***').split(encodeURIComponent(password)).join('***');
}

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

/**
 * Query parameters that carry a secret. node-postgres reads `password` and
 * `sslpassword` from the query string as well as from the authority. `sslkey`,
 * `sslcert`, `sslrootcert` and `passfile` name files, not secrets, so they stay
 * visible: they are what a user needs to see when a connection fails.
 */
const secretParameter =
  /^(password|pass|pwd|sslpassword|secret|token|api[_-]?key|auth[_-]?token)$/i;

/** `key=value` pairs of a libpq connection string whose value is a secret. */
const secretKeywordPair = /\b(password|sslpassword)\s*=\s*('(?:[^'\\]|\\.)*'|\S+)/gi;

/** A URL with every credential replaced by `***`, safe to print. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '<unreadable DATABASE_URL>';
  }
  if (parsed.password) parsed.password = '***';
  for (const name of [...parsed.searchParams.keys()]) {
    if (secretParameter.test(name)) parsed.searchParams.set(name, '***');
  }
  return parsed.toString();
}

/**
 * Every secret a connection string holds, as typed and decoded, so text that
 * echoes any form of it can be scrubbed.
 */
export function secretsOf(connectionString: string): string[] {
  const found = new Set<string>();
  const add = (raw: string) => {
    if (!raw) return;
    found.add(raw);
    for (const decode of [
      decodeURIComponent,
      (v: string) => decodeURIComponent(v.replace(/\+/g, ' ')),
    ]) {
      try {
        found.add(decode(raw));
      } catch {
        // Not percent-encoded after all: the raw form is enough.
      }
    }
    found.add(encodeURIComponent(raw));
  };
  try {
    // As node-postgres reads it: an unencoded "@" in a password moves where the authority ends.
    const parsed = new URL(connectionString);
    add(parsed.password);
    // Raw query values: add() also records their decoded forms, which is what searchParams would give.
    for (const match of connectionString.matchAll(/[?&]([^=&#]+)=([^&#]*)/g)) {
      if (secretParameter.test(match[1]!)) add(match[2]!);
    }
  } catch {
    // Not a URL a parser accepts, but it may still look like one to a person reading a message.
    const authority = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*?:([^/?#]*)@[^@/?#]*(?:[/?#]|$)/i.exec(
      connectionString,
    );
    if (authority) add(authority[1]!);
  }
  for (const match of connectionString.matchAll(secretKeywordPair)) {
    add(match[2]!.replace(/^'(.*)'$/s, '$1'));
  }
  // The longest first, so a secret that contains another is replaced whole.
  return [...found].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
}

/** `text` with every occurrence of the given secrets replaced by `***`. */
export function scrubSecrets(text: string, secrets: string[]): string {
  return secrets.reduce((scrubbed, secret) => scrubbed.split(secret).join('***'), text);
}

/** What the target is, for messages: never includes a password. */
export function describeTarget(target: Target): string {
  if (target.engine === 'pglite') {
    return target.dataDir ? `PGlite at ${target.dataDir}` : 'PGlite in memory';
  }
  const label = target.engine === 'neon' ? 'Neon' : 'PostgreSQL';
  return `${label} at ${redactUrl(target.url)}`;
}

/** Removes every credential of the target's URL from any text: a last guard for messages that come from drivers. */
export function scrubPassword(text: string, target: Target): string {
  if (target.engine === 'pglite') return text;
  return scrubSecrets(text, secretsOf(target.url));
}

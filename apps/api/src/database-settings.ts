import { defaultPoolBounds, type PoolBounds } from '@jam/db';
import { defaultReadyTimeoutMs } from './routes/ready.js';

export interface DatabaseSettings {
  bounds: PoolBounds;
  /** How long `GET /ready` waits for the database. */
  readyTimeoutMs: number;
}

/** Each bound and the environment variable that sets it, in milliseconds. */
export const settingVariables = {
  connectTimeoutMs: 'JAM_API_DB_CONNECT_TIMEOUT_MS',
  statementTimeoutMs: 'JAM_API_DB_STATEMENT_TIMEOUT_MS',
  queryTimeoutMs: 'JAM_API_DB_QUERY_TIMEOUT_MS',
  idleInTransactionTimeoutMs: 'JAM_API_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS',
  readyTimeoutMs: 'JAM_API_READY_TIMEOUT_MS',
} as const;

/** A setting the user got wrong: the message says which and what to write instead. */
export class SettingError extends Error {
  override name = 'SettingError';
}

function milliseconds(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  // A zero would switch node-postgres' timeouts off, which is the hang these bounds exist to prevent.
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < 1) {
    throw new SettingError(
      `${name} is "${raw}", which is not a number of milliseconds; use a whole number above 0, e.g. ${name}=${fallback}.`,
    );
  }
  return value;
}

export function readDatabaseSettings(env: NodeJS.ProcessEnv = process.env): DatabaseSettings {
  const bound = (key: keyof PoolBounds) =>
    milliseconds(env, settingVariables[key], defaultPoolBounds[key]);
  return {
    bounds: {
      connectTimeoutMs: bound('connectTimeoutMs'),
      statementTimeoutMs: bound('statementTimeoutMs'),
      queryTimeoutMs: bound('queryTimeoutMs'),
      idleInTransactionTimeoutMs: bound('idleInTransactionTimeoutMs'),
    },
    readyTimeoutMs: milliseconds(env, settingVariables.readyTimeoutMs, defaultReadyTimeoutMs),
  };
}

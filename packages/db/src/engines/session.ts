import type { EngineKind } from '../target/target.js';
import type { ExtensionNeed } from './pglite/extensions.js';

/**
 * One dedicated database connection, the unit the migration runner works on.
 * Advisory locks and transactions are per connection, so the runner never uses a pool.
 */
export interface Session {
  readonly engine: EngineKind;
  /** One statement with bind parameters (extended protocol); returns its rows. */
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
  /**
   * Statements without parameters through the simple protocol, so a chunk may hold
   * several statements (PGlite's `query` refuses that; its `exec` does not).
   */
  exec(text: string): Promise<void>;
  close(): Promise<void>;
}

export interface SessionOptions {
  /** How long to wait for the server to accept a connection. */
  connectTimeoutMs: number;
  /** How long a second process waits for a PGlite folder that is in use. */
  folderLockTimeoutMs: number;
  /** Shown to a second process that finds the PGlite folder in use. */
  purpose: string;
  /** Receives a line worth telling the user, e.g. that another endpoint than DATABASE_URL's is used. */
  onNotice?: ((line: string) => void) | undefined;
  /**
   * Extensions the work will create (those its migrations create). PGlite loads
   * these besides those the database already has, and refuses at once when it
   * does not ship one; a server has its own and ignores this.
   */
  extensions?: readonly ExtensionNeed[] | undefined;
}

export const defaultSessionOptions: SessionOptions = {
  connectTimeoutMs: 10_000,
  folderLockTimeoutMs: 15_000,
  purpose: 'jam-db',
};

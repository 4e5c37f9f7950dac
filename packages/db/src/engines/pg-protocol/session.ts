import type { Session } from '../session.js';

/** What node-postgres's Client and Neon's fork of it share, as far as a Session needs. */
export interface PgProtocolClient {
  connect(): Promise<unknown>;
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
  on(event: 'error', listener: (error: Error) => void): unknown;
  end(): Promise<void>;
}

/** Connects a single pg-protocol client: advisory locks and transactions live on it. */
export async function openPgProtocolSession(
  engine: 'postgres' | 'neon',
  client: PgProtocolClient,
): Promise<Session> {
  // A dropped connection emits 'error' on the client; without a listener Node exits.
  client.on('error', () => {});
  await client.connect();
  return {
    engine,
    async query<Row>(text: string, params?: unknown[]) {
      return (await client.query(text, params)).rows as Row[];
    },
    async exec(text: string) {
      await client.query(text);
    },
    close: () => client.end(),
  };
}

/** Told after the reason when a server connection fails. */
export const serverConnectionHint =
  'Check DATABASE_URL (host, port, database, user, password) and that the server accepts connections.';

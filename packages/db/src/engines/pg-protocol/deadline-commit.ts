/**
 * A pooled client whose writes commit only while the caller is still waiting.
 *
 * A client-side timeout alone does not stop a write: when the network or the
 * server stalls, the statement (or the COMMIT) waits in a buffer somewhere,
 * the caller answers "try again", and the server applies the write when the
 * stall ends. So every write runs inside a transaction, and its COMMIT travels
 * in the same message as a check the server makes itself: if that message
 * arrives after the caller's deadline, the server raises query_canceled
 * (57014) and rolls the transaction back. The deadline is measured on the
 * server's clock from the server's own transaction start, so clock skew
 * between the hosts does not matter; the margin covers the time BEGIN took to
 * arrive and the time the commit's answer takes to come back.
 */

// biome-ignore lint/suspicious/noExplicitAny: node-postgres and Neon's fork share this shape but no type.
type AnyArgs = any[];

interface DriverClient {
  query(...args: AnyArgs): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  connection?: { stream?: { destroy?: () => void; resetAndDestroy?: () => void } };
}

type DriverClientClass = new (...args: AnyArgs) => DriverClient;

const startsTransaction = /^\s*(begin|start\s+transaction)\b/i;
const commits = /^\s*(commit|end)\s*;?\s*$/i;
const endsTransaction = /^\s*(commit|end|rollback|abort)\b/i;
/** `with` may hold a data-modifying CTE; wrapping a plain select in a transaction costs a round trip, nothing more. */
const mayWrite = /^\s*(insert|update|delete|merge|with)\b/i;

const readTimeout = (error: unknown) =>
  error instanceof Error && /query read timeout/i.test(error.message);

/** The commit and its deadline in one simple-protocol message, so they reach the server together. */
export function commitBeforeDeadlineSql(budgetMs: number): string {
  const budget = Math.max(0, Math.floor(budgetMs));
  return [
    `DO $jam$ BEGIN IF clock_timestamp() > now() + make_interval(secs => ${budget} / 1000.0) THEN`,
    `RAISE EXCEPTION USING ERRCODE = '57014', MESSAGE = 'the client stopped waiting before this transaction could commit; it was rolled back';`,
    'END IF; END $jam$; COMMIT',
  ].join(' ');
}

/** How much earlier than the caller's own deadline the server must have committed. */
export const commitMarginMs = (queryTimeoutMs: number, beginRoundTripMs: number) =>
  Math.min(queryTimeoutMs / 2, 1_000 + beginRoundTripMs);

export function withDeadlineCommit<Base extends DriverClientClass>(
  Base: Base,
  queryTimeoutMs: number,
): Base {
  return class DeadlineCommitClient extends Base {
    /** performance.now() when this connection's open transaction sent its BEGIN; null outside one. */
    #transactionStartedAt: number | null = null;
    #beginRoundTripMs = 0;
    #dropped = false;

    constructor(...args: AnyArgs) {
      super(...args);
      // A dropped connection also emits 'error' on a client the pool has lent
      // out; the failing query already reports it, and unheard it would end the process.
      this.on('error', () => {});
    }

    override query(config: unknown, values?: unknown, callback?: unknown): unknown {
      if (typeof values === 'function') {
        callback = values;
        values = undefined;
      }
      const text = typeof config === 'string' ? config : (config as { text?: unknown })?.text;
      // Query objects (cursors, streams) submit themselves: leave them alone.
      if (
        typeof text !== 'string' ||
        typeof (config as { submit?: unknown }).submit === 'function'
      ) {
        return super.query(config, values, callback);
      }
      const answer = this.#route(text, config, values);
      if (typeof callback !== 'function') return answer;
      answer.then(
        (result) => callback(null, result),
        (error) => callback(error),
      );
      return undefined;
    }

    async #route(text: string, config: unknown, values: unknown): Promise<unknown> {
      if (this.#transactionStartedAt === null) {
        if (startsTransaction.test(text)) return this.#begin(config, values);
        if (mayWrite.test(text)) return this.#writeAlone(config, values);
        return this.#send(config, values);
      }
      if (commits.test(text)) return this.#commitBeforeDeadline();
      if (endsTransaction.test(text)) this.#transactionStartedAt = null;
      return this.#send(config, values);
    }

    async #send(config: unknown, values?: unknown): Promise<unknown> {
      try {
        return await super.query(config, values);
      } catch (error) {
        // The statement may still be on its way: a connection that is gone cannot run what follows it.
        if (readTimeout(error)) this.#drop();
        throw error;
      }
    }

    async #begin(config: unknown, values?: unknown): Promise<unknown> {
      const sentAt = performance.now();
      this.#transactionStartedAt = sentAt;
      try {
        const result = await this.#send(config, values);
        this.#beginRoundTripMs = performance.now() - sentAt;
        return result;
      } catch (error) {
        this.#transactionStartedAt = null;
        throw error;
      }
    }

    async #writeAlone(config: unknown, values: unknown): Promise<unknown> {
      await this.#begin('BEGIN');
      let result: unknown;
      try {
        result = await this.#send(config, values);
      } catch (error) {
        await this.#rollbackQuietly();
        throw error;
      }
      await this.#commitBeforeDeadline();
      return result;
    }

    async #commitBeforeDeadline(): Promise<unknown> {
      const startedAt = this.#transactionStartedAt ?? performance.now();
      const sentAt = performance.now();
      const margin = commitMarginMs(queryTimeoutMs, this.#beginRoundTripMs);
      const budgetMs = sentAt + queryTimeoutMs - margin - startedAt;
      try {
        const results = await this.#send(commitBeforeDeadlineSql(budgetMs));
        return Array.isArray(results) ? results.at(-1) : results;
      } catch (error) {
        await this.#rollbackQuietly();
        throw error;
      } finally {
        this.#transactionStartedAt = null;
      }
    }

    /** After a failed statement the transaction is aborted; end it so the pool gets a clean connection. */
    async #rollbackQuietly(): Promise<void> {
      this.#transactionStartedAt = null;
      if (this.#dropped) return;
      await this.#send('ROLLBACK').catch(() => {});
    }

    /** Resets the socket, so bytes still queued on this side are discarded rather than sent late. */
    #drop(): void {
      this.#dropped = true;
      const stream = this.connection?.stream;
      if (stream?.resetAndDestroy) stream.resetAndDestroy();
      else stream?.destroy?.();
    }
  };
}

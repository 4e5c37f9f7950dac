import { noTransactionMarker } from '../migrations/execution-mode.js';

/**
 * The lines a rewritten file starts with: the runner's `-- jam-db:no-transaction`
 * (each statement then commits on its own, a CONCURRENTLY one in autocommit),
 * and a line that tells a reviewer why the file differs from drizzle-kit's.
 */
export const onlineMarker = '-- jam-db:online';

const onlineLine = (count: number) =>
  `${onlineMarker} ${count} statement(s) rewritten so that no lock on a table that may hold rows outlives one short statement`;

const existingLine = /^-- jam-db:online (\d+) statement\(s\) rewritten\b.*$/m;

/** The file with its header counting `added` more rewritten statements (a file rewritten before keeps its count and adds to it). */
export function withOnlineHeader(sql: string, added: number): string {
  const existing = existingLine.exec(sql);
  const marked = sql.includes(noTransactionMarker) ? '' : `${noTransactionMarker}\n`;
  if (existing) {
    const count = Number(existing[1]) + added;
    const updated = sql.replace(existingLine, onlineLine(count));
    return `${marked}${updated}`;
  }
  return `${marked}${onlineLine(added)}\n${sql}`;
}

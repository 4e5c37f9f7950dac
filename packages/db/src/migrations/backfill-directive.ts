/**
 * `-- jam-db:backfill batch=5000 pause=20ms` above an UPDATE asks the runner to
 * run that UPDATE in batches by the table's primary key, each batch committed
 * with a record of how far it got (see backfill-runner.ts). This module reads
 * the directive: pure text, no database, no parser.
 */

export const backfillMarker = 'jam-db:backfill';

export interface BackfillSettings {
  /** Rows of the key range one batch covers. */
  batch: number;
  /** Pause after each committed batch, so replicas, vacuum and the app's own writes keep up. */
  pauseMs: number;
}

export const defaultBackfillSettings: BackfillSettings = { batch: 1000, pauseMs: 10 };

/** The largest batch accepted: one batch is one transaction holding its rows' locks. */
export const maxBatch = 1_000_000;

/** A directive found in a file, with the 1-based line it is written on. */
export interface BackfillDirective extends BackfillSettings {
  line: number;
}

/** A directive line the runner cannot use; `message` names what is wrong. */
export class BackfillDirectiveError extends Error {
  constructor(
    readonly line: number,
    readonly problem: string,
  ) {
    super(`line ${line}: ${problem}`);
  }
}

const directiveLine = /^\s*--\s*jam-db:backfill\b(.*)$/;

/** Whether a line of SQL is a backfill directive (whatever its settings). */
export const isBackfillLine = (line: string): boolean => directiveLine.test(line);

/** "20ms", "1.5s", "0": a pause in milliseconds, or null when it is not one. */
function parsePause(value: string): number | null {
  const match = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(value);
  if (!match) return null;
  const amount = Number(match[1]);
  if (match[2] === undefined && amount !== 0) return null;
  const ms = match[2] === 's' ? amount * 1000 : amount;
  return ms <= 3_600_000 ? Math.round(ms) : null;
}

/** Reads one directive line (the text after `jam-db:backfill`), or throws naming the bad setting. */
export function parseBackfillDirective(text: string, line: number): BackfillDirective {
  const match = directiveLine.exec(text);
  if (!match) throw new BackfillDirectiveError(line, 'not a "-- jam-db:backfill" line');
  const settings = { ...defaultBackfillSettings };
  const seen = new Set<string>();
  for (const word of match[1]!.trim().split(/\s+/).filter(Boolean)) {
    const [key, value, ...rest] = word.split('=');
    if (value === undefined || rest.length > 0 || !key) {
      throw new BackfillDirectiveError(
        line,
        `"${word}" is not a setting: write key=value, e.g. batch=5000 pause=20ms`,
      );
    }
    if (seen.has(key)) throw new BackfillDirectiveError(line, `"${key}" is set twice`);
    seen.add(key);
    if (key === 'batch') {
      const batch = /^\d+$/.test(value) ? Number(value) : Number.NaN;
      if (!(batch >= 1 && batch <= maxBatch)) {
        throw new BackfillDirectiveError(
          line,
          `batch=${value} is not a batch size: give a whole number of rows from 1 to ${maxBatch.toLocaleString('en-US')}`,
        );
      }
      settings.batch = batch;
    } else if (key === 'pause') {
      const pauseMs = parsePause(value);
      if (pauseMs === null) {
        throw new BackfillDirectiveError(
          line,
          `pause=${value} is not a pause: give milliseconds or seconds with their unit, e.g. pause=20ms or pause=1s (at most 1 hour), or pause=0`,
        );
      }
      settings.pauseMs = pauseMs;
    } else {
      throw new BackfillDirectiveError(
        line,
        `unknown setting "${key}": a backfill takes batch=<rows> and pause=<duration>`,
      );
    }
  }
  return { ...settings, line };
}

/** A statement of a file as the runner cut it: its verbatim text and the chunk it came from. */
export interface LocatedStatement {
  text: string;
  chunk: number;
}

/**
 * The directive of each statement that has one, keyed by the statement's index.
 * A directive belongs to the statement that follows it: it must stand in the
 * comments between the statement before and that one. A directive that no
 * statement follows, or two above one statement, is an error, so a directive
 * never goes unnoticed.
 */
export function findBackfillDirectives(
  sql: string,
  chunks: string[],
  statements: LocatedStatement[],
): Map<number, BackfillDirective> {
  const found = new Map<number, BackfillDirective>();
  let fileCursor = 0;
  let statementIndex = 0;
  for (const [chunkIndex, chunk] of chunks.entries()) {
    const chunkStart = Math.max(0, sql.indexOf(chunk, fileCursor));
    fileCursor = chunkStart + chunk.length;
    const lineAt = (offset: number) => sql.slice(0, chunkStart + offset).split('\n').length;
    let cursor = 0;
    const directivesIn = (from: number, to: number): BackfillDirective[] => {
      const directives: BackfillDirective[] = [];
      let offset = from;
      for (const text of chunk.slice(from, to).split('\n')) {
        if (isBackfillLine(text)) directives.push(parseBackfillDirective(text, lineAt(offset)));
        offset += text.length + 1;
      }
      return directives;
    };
    while (statementIndex < statements.length && statements[statementIndex]!.chunk === chunkIndex) {
      const { text } = statements[statementIndex]!;
      const at = chunk.indexOf(text, cursor);
      const start = at < 0 ? cursor : at;
      const directives = directivesIn(cursor, start);
      if (directives.length > 1) {
        throw new BackfillDirectiveError(
          directives[1]!.line,
          `a second backfill directive above the same statement (the first is on line ${directives[0]!.line})`,
        );
      }
      if (directives[0]) found.set(statementIndex, directives[0]);
      const inside = at < 0 ? undefined : directivesIn(start, start + text.length)[0];
      if (inside) {
        throw new BackfillDirectiveError(
          inside.line,
          'this backfill directive stands inside a statement: put it on its own line right above the UPDATE it batches',
        );
      }
      cursor = at < 0 ? cursor : start + text.length;
      statementIndex++;
    }
    const orphan = directivesIn(cursor, chunk.length)[0];
    if (orphan) {
      throw new BackfillDirectiveError(
        orphan.line,
        'no statement follows this backfill directive: put it right above the UPDATE it batches',
      );
    }
  }
  return found;
}

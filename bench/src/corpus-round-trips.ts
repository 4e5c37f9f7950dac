/**
 * Round trips of one real history: `jam-db generate-down` into a copy of the
 * corpus, then `jam-db verify --json` on it. The counts (exact / manual / wrong /
 * not checked) and times go into CORPORA.md; the wrong and manual ones are
 * listed so whoever works on down scripts sees what to fix.
 */

export interface VerdictLine {
  tag: string;
  verdict: 'exact' | 'manual' | 'wrong';
  reason?: string;
  firstDifference?: string;
  error?: string;
}

export interface RoundTrips {
  engine: 'PostgreSQL' | 'PGlite';
  downScripts?: number;
  manualWritten?: number;
  generateDownMs?: number;
  generateDownError?: string;
  exact?: number;
  manual?: number;
  wrong?: number;
  unchecked?: number;
  stoppedAt?: string;
  rebuilds?: number;
  verifyMs?: number;
  verifyError?: string;
  notExact: VerdictLine[];
}

interface VerifyDocument {
  migrations: VerdictLine[];
  summary: {
    exact: number;
    manual: number;
    wrong: number;
    rebuilds: number;
    stopped: { tag: string; error: string; unchecked: string[] } | null;
  };
}

interface GenerateDownDocument {
  written: unknown[];
  manual: string[];
}

/** Reads `generate-down --json`; throws with what was printed when it is not the document. */
export function readGenerateDown(stdout: string, into: RoundTrips): void {
  const doc = JSON.parse(stdout) as Partial<GenerateDownDocument>;
  if (!Array.isArray(doc.written)) throw new Error('no "written" list in the output');
  into.downScripts = doc.written.length;
  into.manualWritten = doc.manual?.length ?? 0;
}

/** Reads `verify --json` (exit 0 or 1 both carry the document). */
export function readVerify(stdout: string, into: RoundTrips): void {
  const doc = JSON.parse(stdout) as Partial<VerifyDocument>;
  if (!doc.summary || !Array.isArray(doc.migrations))
    throw new Error('no verify report in the output');
  into.exact = doc.summary.exact;
  into.manual = doc.summary.manual;
  into.wrong = doc.summary.wrong;
  into.rebuilds = doc.summary.rebuilds;
  into.unchecked = doc.summary.stopped?.unchecked.length ?? 0;
  if (doc.summary.stopped) into.stoppedAt = doc.summary.stopped.tag;
  into.notExact = doc.migrations.filter((m) => m.verdict !== 'exact');
}

const clip = (text: string, length = 240): string =>
  text.length > length ? `${text.slice(0, length - 1)}…` : text;

/** One line per migration that is not exact, for the details section. */
export function notExactLines(trips: RoundTrips): string[] {
  return trips.notExact.map((v) => {
    const what = v.firstDifference ?? v.error;
    return `${v.verdict} \`${v.tag}\`: ${clip(v.reason ?? '')}${what ? ` — ${clip(what)}` : ''}`;
  });
}

/** The share of exact round trips among all migrations, as "98.5 %". */
export const exactShare = (exact: number, migrations: number): string =>
  migrations === 0 ? '–' : `${((100 * exact) / migrations).toFixed(1)} %`;

/**
 * What `verify` concludes about one migration's down script:
 * - exact: up → down gave back the schema from before up, up again the schema
 *   after up, and rows in tables the migration leaves alone survived;
 * - manual: there is no script to run (it is marked `-- jam-db:manual`, or missing);
 * - wrong: a step failed, or a schema or rows differ.
 */
export type Verdict = 'exact' | 'manual' | 'wrong';

export interface MigrationVerdict {
  tag: string;
  verdict: Verdict;
  /** manual: why there is no script (the script's own words); wrong: which check failed. */
  reason?: string | undefined;
  /** wrong by a difference: every differing object, "missing …", "unexpected …" or "changed …". */
  differences?: string[] | undefined;
  /** wrong by a failed step: the database's error, on one line. */
  error?: string | undefined;
  /** Tables the migration leaves alone that held a sample row through down and up. */
  sampledTables: number;
  durationMs: number;
}

/** Counts per verdict, in the order the report prints them. */
export function countVerdicts(verdicts: MigrationVerdict[]): Record<Verdict, number> {
  const counts: Record<Verdict, number> = { exact: 0, manual: 0, wrong: 0 };
  for (const v of verdicts) counts[v.verdict]++;
  return counts;
}

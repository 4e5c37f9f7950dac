import type { Rule } from './rules.js';

/** One thing lint found in a migration, as every report shows it. */
export interface Finding {
  rule: string;
  severity: Rule['severity'];
  statement: string;
  explanation: string;
  alternative: string;
  /** "line 12 of migrations/0001_x.sql", where the finding can be placed that precisely. */
  location?: string;
  /** Which statement of the migration, counted from 0 in the order the parser reads them; absent for a finding about the whole file. */
  index?: number;
}

import type { MigrationStatusView } from '../api/responses.js';
import { formatDateTime } from '../dates/format-dates.js';

export interface MigrationRow {
  tag: string;
  state: 'applied' | 'pending';
  /** "15 Jun 2026, 12:00 UTC", or a dash when not applied or not recorded. */
  appliedAt: string;
}

/** One table: applied migrations in the order they ran, then the pending ones. */
export const migrationRows = (status: MigrationStatusView): MigrationRow[] => [
  ...status.applied.map((m) => ({
    tag: m.tag,
    state: 'applied' as const,
    appliedAt: formatDateTime(m.appliedAt),
  })),
  ...status.pending.map((m) => ({
    tag: m.tag,
    state: 'pending' as const,
    appliedAt: formatDateTime(null),
  })),
];

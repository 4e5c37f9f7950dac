import type { MigrationStatusView } from '../api/shapes.js';

export interface MigrationRow {
  tag: string;
  state: 'applied' | 'pending';
  /** "2026-06-15 12:00 UTC", or a dash when not applied or not recorded. */
  appliedAt: string;
}

/** UTC and a fixed layout, so every visitor and every test sees the same text. */
export function formatAppliedAt(iso: string | null): string {
  if (!iso) return '–';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '–';
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** One table: applied migrations in the order they ran, then the pending ones. */
export const migrationRows = (status: MigrationStatusView): MigrationRow[] => [
  ...status.applied.map((m) => ({
    tag: m.tag,
    state: 'applied' as const,
    appliedAt: formatAppliedAt(m.appliedAt),
  })),
  ...status.pending.map((m) => ({
    tag: m.tag,
    state: 'pending' as const,
    appliedAt: formatAppliedAt(null),
  })),
];

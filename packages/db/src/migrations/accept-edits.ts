import type { Session } from '../engines/session.js';
import { JamDbError } from '../errors.js';
import type { History } from './history.js';
import type { ProgressEvent } from './run-context.js';
import { acceptEditedFile } from './tracking.js';

/**
 * Records the new hash of applied migrations whose file was edited on purpose
 * (`--accept-changed`), and returns the history as if they had been applied so.
 * A dry run records nothing but returns the same history, so its preview is true.
 */
export async function acceptEdits(
  session: Session,
  history: History,
  tags: string[],
  dryRun: boolean | undefined,
  onProgress: ((event: ProgressEvent) => void) | undefined,
): Promise<History> {
  for (const tag of tags) {
    const edit = history.changed.find((c) => c.migration.tag === tag);
    if (!edit) {
      throw new JamDbError(
        'usage',
        `--accept-changed ${tag}: that migration is not applied with a different file, so there is no edit to accept.`,
        'Run `pnpm db:status` to see which applied migrations changed.',
      );
    }
    if (!dryRun) await acceptEditedFile(session, edit.row.id, edit.migration.hash);
    onProgress?.({ kind: 'accepted-edit', tag });
  }
  const accepted = new Set(tags);
  const changed = history.changed.filter((c) => !accepted.has(c.migration.tag));
  const nowApplied = history.changed.filter((c) => accepted.has(c.migration.tag));
  return { ...history, changed, applied: [...history.applied, ...nowApplied] };
}

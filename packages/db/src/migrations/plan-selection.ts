import type { Migration, MigrationFolder } from '../drizzle-kit/migration-folder.js';
import { JamDbError } from '../errors.js';
import type { History } from './history.js';

/** The pending migrations up to and including `to` (all of them without it). */
export function pendingUpTo(
  folder: MigrationFolder,
  history: History,
  to: string | undefined,
): Migration[] {
  if (to === undefined) return history.pending;
  const target = folder.migrations.find((m) => m.tag === to);
  if (!target) throw unknownTag(to, folder);
  if (history.applied.some((a) => a.migration === target)) return [];
  return history.pending.filter((m) => m.idx <= target.idx);
}

/** The applied migrations to roll back, newest first: `steps` of them, or all those after `to`. */
export function appliedToRollBack(
  folder: MigrationFolder,
  newestFirst: History['applied'],
  options: { steps?: number | undefined; to?: string | undefined },
): History['applied'] {
  if (options.to !== undefined) {
    const target = folder.migrations.find((m) => m.tag === options.to);
    if (!target) throw unknownTag(options.to, folder);
    const keep = newestFirst.findIndex((a) => a.migration === target);
    if (keep < 0) {
      throw new JamDbError(
        'usage',
        `--to ${options.to}: that migration is not applied, so there is nothing to roll back to.`,
        'Run `pnpm db:status` to see the applied migrations.',
      );
    }
    return newestFirst.slice(0, keep);
  }
  return newestFirst.slice(0, options.steps ?? 1);
}

function unknownTag(tag: string, folder: MigrationFolder): JamDbError {
  const tags = folder.migrations.map((m) => m.tag);
  return new JamDbError(
    'usage',
    `--to ${tag}: no migration with that tag in ${folder.dir}.`,
    tags.length > 0 ? `Known tags: ${tags.join(', ')}.` : 'The folder holds no migrations yet.',
  );
}

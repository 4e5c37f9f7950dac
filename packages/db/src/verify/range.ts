import type { MigrationFolder } from '../drizzle-kit/migration-folder.js';
import { JamDbError } from '../errors.js';

/** `--from` / `--to` of `verify`: the first and last migration to check, by tag. */
export interface VerifyRange {
  from?: string | undefined;
  to?: string | undefined;
}

/** Positions in the folder's migrations: check `first` to `last`, apply the ones before `first` unchecked. */
export interface ResolvedRange {
  first: number;
  last: number;
}

export function resolveRange(folder: MigrationFolder, range: VerifyRange): ResolvedRange {
  const first = range.from === undefined ? 0 : positionOf(folder, '--from', range.from);
  const last =
    range.to === undefined ? folder.migrations.length - 1 : positionOf(folder, '--to', range.to);
  if (range.from !== undefined && range.to !== undefined && first > last) {
    throw new JamDbError(
      'usage',
      `--from ${range.from} comes after --to ${range.to} in the journal, so there is nothing to verify.`,
      'Swap the two tags: --from names the first migration to check, --to the last.',
    );
  }
  return { first, last };
}

function positionOf(folder: MigrationFolder, flag: string, tag: string): number {
  const position = folder.migrations.findIndex((m) => m.tag === tag);
  if (position >= 0) return position;
  throw new JamDbError(
    'usage',
    `${flag} ${tag}: no migration with that tag in ${folder.dir}.`,
    knownTagsHint(
      folder.migrations.map((m) => m.tag),
      tag,
    ),
  );
}

/**
 * Tags that begin with what was typed (often just the number), else the whole
 * list; a long list is shortened to its ends so the hint stays one paragraph.
 */
export function knownTagsHint(tags: string[], typed: string): string {
  if (tags.length === 0) return 'The folder holds no migrations yet.';
  const similar = tags.filter((t) => t.startsWith(typed) || typed.startsWith(t.split('_')[0]!));
  if (similar.length > 0 && similar.length <= 5) return `Did you mean ${similar.join(' or ')}?`;
  const shown =
    tags.length <= 10 ? tags.join(', ') : [...tags.slice(0, 3), '…', ...tags.slice(-3)].join(', ');
  return `Known tags (${tags.length}, in journal order): ${shown}. Run \`jam-db status\` to list them all.`;
}

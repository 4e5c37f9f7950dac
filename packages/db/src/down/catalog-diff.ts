import { compareCatalogs, type DownScriptDraft } from './catalog-changes.js';
import { changeBack } from './catalog-down-changes-back.js';
import { dropDependents, dropUnneeded } from './catalog-down-drops.js';
import { restoreDropped } from './catalog-down-restores.js';
import type { CatalogState } from './catalog-state.js';

/**
 * The statements that take a database from one catalog state (after a
 * migration, its renames already undone) back to another (before it). Only
 * what differs is touched, so a down script drops exactly what its migration
 * created and restores what it dropped or changed.
 *
 * Order follows the dependencies between kinds of objects: first what depends
 * on others goes (triggers, policies, views, foreign keys, indexes, columns,
 * tables), then what others need is made or changed (schemas, extensions,
 * types, sequences, functions, column types and defaults), then what nothing
 * needs any more goes (functions, sequences, types, extensions, schemas), and
 * last what was dropped comes back (tables, columns, constraints, indexes,
 * views, policies, triggers).
 */
export interface CatalogDown {
  statements: string[];
  /** What the statements cannot restore, or may fail on, said in the script's header. */
  notes: string[];
  /** Why no statements can take the schema back (a person writes the script). */
  unsupported: string[];
}

export function catalogDown(from: CatalogState, to: CatalogState): CatalogDown {
  const diff = compareCatalogs(from, to);
  const draft: DownScriptDraft = {
    statements: [],
    notes: [],
    unsupported: [],
    createdSequences: [],
  };
  for (const [key] of [...diff.tables.added, ...diff.tables.gone]) {
    const t = from.tables.get(key) ?? to.tables.get(key)!;
    if (t.partitioned) draft.unsupported.push(`partitioned table ${key}`);
  }
  dropDependents(diff, draft);
  changeBack(diff, draft);
  dropUnneeded(diff, draft);
  restoreDropped(diff, draft);
  return { statements: draft.statements, notes: draft.notes, unsupported: draft.unsupported };
}

import type { CatalogState } from './catalog-state.js';
import { viewsReading } from './view-order.js';

export const differs = <T>(a: T, b: T) => JSON.stringify(a) !== JSON.stringify(b);

/** How one kind of object differs between two states, by key. */
export interface Changes<T> {
  /** Only in `from`. */
  gone: [string, T][];
  /** In both, held differently: the value in `from`, then in `to`. */
  changed: [string, T, T][];
  /** Only in `to`. */
  added: [string, T][];
}

/** Keys of `from` that `to` lacks or holds differently, and keys only `to` has. */
function changes<T>(from: Map<string, T>, to: Map<string, T>): Changes<T> {
  const gone: [string, T][] = [];
  const changed: [string, T, T][] = [];
  const added: [string, T][] = [];
  for (const [key, value] of from) {
    const target = to.get(key);
    if (target === undefined) gone.push([key, value]);
    else if (differs(value, target)) changed.push([key, value, target]);
  }
  for (const [key, value] of to) if (!from.has(key)) added.push([key, value]);
  return { gone, changed, added };
}

type ValueOf<M> = M extends Map<string, infer V> ? V : never;
type ChangesOf<K extends keyof CatalogState> = Changes<ValueOf<CatalogState[K]>>;

/** Everything the phases of a derived down script read: both states and what differs. */
export interface CatalogChanges {
  /** After the migration (its renames undone). */
  from: CatalogState;
  /** Before the migration: what the down script restores. */
  to: CatalogState;
  tables: ChangesOf<'tables'>;
  columns: ChangesOf<'columns'>;
  constraints: ChangesOf<'constraints'>;
  indexes: ChangesOf<'indexes'>;
  enums: ChangesOf<'enums'>;
  sequences: ChangesOf<'sequences'>;
  /** Also lists, as changed, the views over a table whose column types change: they are rebuilt. */
  views: ChangesOf<'views'>;
  functions: ChangesOf<'functions'>;
  triggers: ChangesOf<'triggers'>;
  policies: ChangesOf<'policies'>;
  /** Keys ("schema.name") of tables the down script drops, and of those it creates. */
  goneTables: Set<string>;
  newTables: Set<string>;
  /**
   * Identity sequences that were a serial column's sequence of the same name
   * before: they go with DROP IDENTITY and are made anew right after it.
   */
  remadeAfterIdentity: Set<string>;
}

export const tableOf = (schema: string, name: string) => `${schema}.${name}`;

export function compareCatalogs(from: CatalogState, to: CatalogState): CatalogChanges {
  const tables = changes(from.tables, to.tables);
  const columns = changes(from.columns, to.columns);
  const enums = changes(from.enums, to.enums);
  const views = changes(from.views, to.views);
  // A view holds on to the columns it reads: one over a table whose columns change type goes
  // first and comes back last, like the views that read it.
  const retypedTables = new Set(
    columns.changed
      .filter(
        ([, c, target]) =>
          c.type !== target.type ||
          (c.enumKey !== null && enums.changed.some(([k]) => k === c.enumKey)),
      )
      .map(([, c]) => c.table),
  );
  for (const [key] of enums.changed)
    for (const c of from.columns.values()) if (c.enumKey === key) retypedTables.add(c.table);
  const rebuilt = viewsReading(from, retypedTables).filter(
    (key) => to.views.has(key) && !views.changed.some(([k]) => k === key),
  );
  views.changed.push(
    ...rebuilt.map((key) => [key, from.views.get(key)!, to.views.get(key)!] as ViewChange),
  );
  return {
    from,
    to,
    tables,
    columns,
    constraints: changes(from.constraints, to.constraints),
    indexes: changes(from.indexes, to.indexes),
    enums,
    sequences: changes(from.sequences, to.sequences),
    views,
    functions: changes(from.functions, to.functions),
    triggers: changes(from.triggers, to.triggers),
    policies: changes(from.policies, to.policies),
    goneTables: new Set(tables.gone.map(([key]) => key)),
    newTables: new Set(tables.added.map(([key]) => key)),
    remadeAfterIdentity: new Set(
      [...to.sequences].flatMap(([key, target]) => {
        const s = from.sequences.get(key);
        return s && identityOwned(from, s.ownedBy) && !identityOwned(to, target.ownedBy)
          ? [key]
          : [];
      }),
    ),
  };
}

type ViewChange = ChangesOf<'views'>['changed'][number];

/** Whether the column a sequence belongs to is an identity column in `state`. */
export const identityOwned = (state: CatalogState, ownedBy: string | null) =>
  ownedBy !== null && Boolean(state.columns.get(ownedBy)?.identity);

/** Whether a column of `from` is gone in `to`, by itself or with its table. */
export function goneColumn(diff: CatalogChanges, key: string): boolean {
  const c = diff.from.columns.get(key)!;
  return !diff.to.columns.has(key) || diff.goneTables.has(tableOf(c.schema, c.table));
}

/** The statements of a down script as the phases write them, and what they say about it. */
export interface DownScriptDraft {
  statements: string[];
  notes: string[];
  unsupported: string[];
  /** Keys of sequences the script creates, to be tied to their columns once those exist. */
  createdSequences: string[];
}

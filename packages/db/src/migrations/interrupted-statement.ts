import type { Session } from '../engines/session.js';
import { list, nodeOf } from '../sql/ast.js';
import { quoteIdent } from '../sql/names.js';

/** What a statement interrupted outside a transaction left, and whether it counts as done. */
export interface InterruptedOutcome {
  done: boolean;
  /** Told to the user, e.g. "index "a_idx" was left INVALID: dropped it, building it again". */
  finding: string;
}

/** "schema"."name" when the statement named the schema, else "name" (resolved through search_path). */
const qualified = (schema: string | undefined, name: string) =>
  schema ? `${quoteIdent(schema)}.${quoteIdent(name)}` : quoteIdent(name);

/**
 * A statement that runs outside a transaction and was interrupted (the process
 * killed, the statement failed or timed out) may have done part of its work.
 * Before it runs again, look at what it left: `CREATE INDEX CONCURRENTLY` leaves
 * its index INVALID when it does not finish (drop it and build it again) and
 * VALID when it did (done, unless the file changed the statement since);
 * `DROP INDEX CONCURRENTLY` is done when the index is gone. Any other such
 * statement (VACUUM, REINDEX, …) is safe to run again.
 * Returns null when there was nothing to check.
 */
export async function finishInterruptedStatement(
  session: Session,
  node: unknown,
  /** False when the file's statement changed since it was interrupted: a VALID index is the old one. */
  unchanged: boolean,
): Promise<InterruptedOutcome | null> {
  const create = nodeOf(node, 'IndexStmt');
  if (create?.concurrent && typeof create.idxname === 'string') {
    const relation = create.relation as { schemaname?: string } | undefined;
    const name = qualified(relation?.schemaname, create.idxname);
    const [index] = await session.query<{ valid: boolean }>(
      'select i.indisvalid as valid from pg_index i where i.indexrelid = to_regclass($1)',
      [name],
    );
    if (!index) return null;
    if (index.valid && unchanged) {
      return { done: true, finding: `index ${name} is built and VALID: counted as done` };
    }
    await session.exec(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
    const why = index.valid
      ? 'was built by the statement as it was before the file changed'
      : 'was left INVALID';
    return { done: false, finding: `index ${name} ${why}: dropped it, building it again` };
  }
  const drop = nodeOf(node, 'DropStmt');
  if (drop?.concurrent && drop.removeType === 'OBJECT_INDEX') {
    const names = list(drop.objects).map((object) => {
      const parts = list(nodeOf(object, 'List')?.items).map(
        (part) => (nodeOf(part, 'String')?.sval as string) ?? '',
      );
      return parts.length > 1
        ? qualified(parts[0], parts.at(-1)!)
        : qualified(undefined, parts[0]!);
    });
    const [row] = await session.query<{ remaining: number }>(
      'select count(to_regclass(name))::int as remaining from unnest($1::text[]) as name',
      [names],
    );
    if (row?.remaining === 0) {
      return { done: true, finding: `${names.join(', ')} already dropped: counted as done` };
    }
  }
  return null;
}

/**
 * Small readers for libpg-query's JSON parse tree ({ "NodeType": { …fields } }),
 * so rules read like the SQL they check.
 */
export type AstNode = Record<string, unknown>;

/** The fields of `value` when it is a node of `kind`. */
export const nodeOf = (value: unknown, kind: string): AstNode | undefined =>
  (value as AstNode | undefined)?.[kind] as AstNode | undefined;

/** The single kind of a node ({ "IndexStmt": {…} } → "IndexStmt"). */
export const kindOf = (value: unknown): string => Object.keys((value as AstNode) ?? {})[0] ?? '';

export const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** "schema.table" (schema defaults to public), lower-cased like PostgreSQL folds unquoted names. */
export function relationName(relation: unknown): string {
  const r = relation as { schemaname?: string; relname?: string } | undefined;
  return `${r?.schemaname ?? 'public'}.${r?.relname ?? ''}`;
}

/** "schema.name" → "schema" */
export const schemaOf = (qualified: string): string =>
  qualified.slice(0, qualified.lastIndexOf('.'));

/** "schema.name" → "name" */
export const nameOf = (qualified: string): string =>
  qualified.slice(qualified.lastIndexOf('.') + 1);

/** A dotted name from a list of String nodes (type names, DROP objects). */
export function dottedName(names: unknown): string {
  const parts = list(names).map((n) => (nodeOf(n, 'String')?.sval as string) ?? '');
  return parts.length === 1 ? `public.${parts[0]}` : parts.join('.');
}

/** Constraints of a column definition by their contype (CONSTR_NOTNULL, CONSTR_DEFAULT, …). */
export const columnConstraints = (columnDef: AstNode | undefined): AstNode[] =>
  list(columnDef?.constraints).map((c) => nodeOf(c, 'Constraint') ?? {});

/** Function names called anywhere inside an expression tree. */
export function calledFunctions(expression: unknown): string[] {
  const found: string[] = [];
  const walk = (value: unknown) => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item);
      return;
    }
    if (!value || typeof value !== 'object') return;
    const call = nodeOf(value, 'FuncCall');
    if (call) {
      const names = list(call.funcname).map((n) => (nodeOf(n, 'String')?.sval as string) ?? '');
      found.push(names.at(-1) ?? '');
    }
    for (const child of Object.values(value)) walk(child);
  };
  walk(expression);
  return found;
}

import { type AstNode, kindOf, list, nodeOf } from './ast.js';
import { parseStatements } from './parse.js';

/**
 * Which relations (tables, indexes, sequences, views, composite types) a
 * statement creates and which existing ones it touches, read from its parse
 * tree. The runner uses it to keep a lock on a table that may be busy from
 * outliving its migration: see `migrations/batches.ts`. Names are
 * "schema.name", unqualified ones in `public`, as the parser folds them.
 */
export interface RelationUse {
  /** Relations the statement brings into being (never one that may already exist). */
  creates: string[];
  /** Relations it reads, writes, alters, drops or points a foreign key at. */
  touches: string[];
  /**
   * The statement is of a kind this reader does not know (DO blocks, SET, …) or
   * may reach relations it cannot name (DROP … CASCADE): treat as touching.
   */
  inDoubt: boolean;
}

/** Statement kinds whose relations are all RangeVar nodes of their tree (plus what `namedRelations` reads). */
const readable = new Set([
  'CreateStmt',
  'IndexStmt',
  'CreateSeqStmt',
  'AlterSeqStmt',
  'ViewStmt',
  'CreateTableAsStmt',
  'CompositeTypeStmt',
  'CreateEnumStmt',
  'AlterEnumStmt',
  'CreateDomainStmt',
  'CreateSchemaStmt',
  'CreateFunctionStmt',
  'CreateExtensionStmt',
  'CreateTrigStmt',
  'CreatePolicyStmt',
  'AlterPolicyStmt',
  'AlterTableStmt',
  'RenameStmt',
  'DropStmt',
  'CommentStmt',
  'GrantStmt',
  'InsertStmt',
  'UpdateStmt',
  'DeleteStmt',
  'SelectStmt',
  // Roles and default privileges lock no relation.
  'CreateRoleStmt',
  'AlterRoleStmt',
  'AlterRoleSetStmt',
  'GrantRoleStmt',
  'AlterDefaultPrivilegesStmt',
]);

const relationKinds = new Set([
  'OBJECT_TABLE',
  'OBJECT_INDEX',
  'OBJECT_SEQUENCE',
  'OBJECT_VIEW',
  'OBJECT_MATVIEW',
  'OBJECT_FOREIGN_TABLE',
]);

/** Objects that live on a table and are named after it: `DROP TRIGGER x ON t`, `COMMENT ON COLUMN t.c`. */
const onTableKinds = new Set(['OBJECT_TRIGGER', 'OBJECT_RULE', 'OBJECT_POLICY', 'OBJECT_COLUMN']);

/** Drops and comments of these touch no relation (without CASCADE; with it, anything). */
const nonRelationKinds = new Set([
  'OBJECT_TYPE',
  'OBJECT_DOMAIN',
  'OBJECT_FUNCTION',
  'OBJECT_PROCEDURE',
  'OBJECT_SCHEMA',
  'OBJECT_EXTENSION',
]);

export function relationUseOf(node: unknown): RelationUse {
  const kind = kindOf(node);
  const statement = nodeOf(node, kind) ?? {};
  if (!readable.has(kind)) return inDoubt;
  const created = createdRelation(kind, statement);
  const named = namedRelations(kind, statement);
  if (named === null) return inDoubt;
  const target = created?.rangeVar;
  const cteNames = new Set<string>();
  const rangeVars: AstNode[] = [];
  walk(statement, (value) => {
    if (typeof value.ctename === 'string') cteNames.add(value.ctename);
    if (typeof value.relname === 'string' && value !== target) rangeVars.push(value);
  });
  const touches = rangeVars
    .filter((r) => r.schemaname !== undefined || !cteNames.has(r.relname as string))
    .map(qualified);
  if (created && !created.mayExist) {
    return { creates: [created.name], touches: unique([...touches, ...named]), inDoubt: false };
  }
  // CREATE … IF NOT EXISTS / OR REPLACE: the relation may be an existing one.
  const mayExist = created ? [created.name] : [];
  return { creates: [], touches: unique([...touches, ...named, ...mayExist]), inDoubt: false };
}

const inDoubt: RelationUse = { creates: [], touches: [], inDoubt: true };

/**
 * Like `relationUseOf`, reading also into a PL/pgSQL `DO` block of the shape
 * drizzle-kit writes (`DO $$ BEGIN <statements> EXCEPTION WHEN … END $$`):
 * its statements, when they parse as plain SQL; any other block is in doubt.
 */
export async function readRelationUses(node: unknown): Promise<RelationUse[]> {
  if (kindOf(node) !== 'DoStmt') return [relationUseOf(node)];
  const body = doBlockStatements(nodeOf(node, 'DoStmt') ?? {});
  const inner = body === null ? null : await parseStatements(body);
  if (!inner || inner.length === 0) return [inDoubt];
  return inner.map((statement) => relationUseOf(statement.node));
}

/** The SQL between a PL/pgSQL block's BEGIN and its EXCEPTION or END, or null for another language or shape. */
function doBlockStatements(statement: AstNode): string | null {
  const options = list(statement.args).map((a) => nodeOf(a, 'DefElem') ?? {});
  const language = options.find((o) => o.defname === 'language');
  const languageName = nodeOf(language?.arg, 'String')?.sval;
  if (language && languageName !== 'plpgsql') return null;
  const body = nodeOf(options.find((o) => o.defname === 'as')?.arg, 'String')?.sval;
  if (typeof body !== 'string') return null;
  const block = /^\s*begin\b([\s\S]*?)(?:\bexception\s+when\b[\s\S]*)?\bend\s*;?\s*$/i.exec(body);
  return block?.[1] ?? null;
}

/** The relations named by a statement's whole tree, for naming what a failed lock waited on. */
export function touchedRelations(nodes: unknown[]): string[] {
  return unique(
    nodes.flatMap((node) => {
      const use = relationUseOf(node);
      return [...use.touches, ...use.creates];
    }),
  );
}

interface Created {
  name: string;
  /** The RangeVar naming it, so the walk does not count it as touched; null for an index. */
  rangeVar: AstNode | null;
  mayExist: boolean;
}

function createdRelation(kind: string, s: AstNode): Created | null {
  const from = (rangeVar: unknown, mayExist: unknown): Created | null => {
    const r = rangeVar as AstNode | undefined;
    return r ? { name: qualified(r), rangeVar: r, mayExist: mayExist === true } : null;
  };
  switch (kind) {
    case 'CreateStmt':
    case 'CreateSeqStmt':
      return from(s.relation ?? s.sequence, s.if_not_exists);
    case 'ViewStmt':
      return from(s.view, s.replace);
    case 'CreateTableAsStmt':
      return from((s.into as AstNode | undefined)?.rel, s.if_not_exists);
    case 'CompositeTypeStmt':
      return from(s.typevar, false);
    case 'IndexStmt': {
      if (typeof s.idxname !== 'string') return null;
      // An index lives in its table's schema.
      const table = s.relation as AstNode | undefined;
      const schema = (table?.schemaname as string | undefined) ?? 'public';
      return { name: `${schema}.${s.idxname}`, rangeVar: null, mayExist: s.if_not_exists === true };
    }
    default:
      return null;
  }
}

/**
 * Relations a statement names by a list of strings rather than a RangeVar
 * (DROP, COMMENT ON), or null when it may reach relations it does not name.
 */
function namedRelations(kind: string, s: AstNode): string[] | null {
  if (kind === 'DropStmt') {
    const type = s.removeType as string;
    if (relationKinds.has(type)) return list(s.objects).map((o) => dotted(o, 0));
    if (onTableKinds.has(type)) return list(s.objects).map((o) => dotted(o, 1));
    return nonRelationKinds.has(type) && s.behavior !== 'DROP_CASCADE' ? [] : null;
  }
  if (kind === 'CommentStmt') {
    const type = s.objtype as string;
    if (relationKinds.has(type)) return [dotted(s.object, 0)];
    if (onTableKinds.has(type)) return [dotted(s.object, 1)];
    return nonRelationKinds.has(type) ? [] : null;
  }
  if (kind === 'GrantStmt') return s.targtype === 'ACL_TARGET_OBJECT' ? [] : null;
  if (kind === 'CreateSchemaStmt') return list(s.schemaElts).length === 0 ? [] : null;
  return [];
}

/** A name list (`List` of `String`) as "schema.name", leaving off the last `dropLast` parts. */
function dotted(names: unknown, dropLast: number): string {
  const items = list(nodeOf(names, 'List')?.items ?? names);
  const parts = items.map((n) => (nodeOf(n, 'String')?.sval as string) ?? '');
  const kept = parts.slice(0, parts.length - dropLast);
  return kept.length === 1 ? `public.${kept[0]}` : kept.slice(-2).join('.');
}

const qualified = (rangeVar: AstNode): string =>
  `${(rangeVar.schemaname as string | undefined) ?? 'public'}.${rangeVar.relname as string}`;

const unique = (names: string[]): string[] => [...new Set(names)];

function walk(value: unknown, visit: (node: AstNode) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, visit);
    return;
  }
  if (!value || typeof value !== 'object') return;
  visit(value as AstNode);
  for (const child of Object.values(value)) walk(child, visit);
}

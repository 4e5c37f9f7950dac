import { type AstNode, list, nodeOf } from '../sql/ast.js';

/**
 * A column type as a migration spells it, reduced to what decides whether a
 * type change rewrites the table: the type's name, its modifiers
 * (`varchar(255)` → [255], `numeric(10, 2)` → [10, 2]; null when they are not
 * plain numbers) and whether it is an array.
 */
export interface ColumnType {
  name: string;
  modifiers: number[] | null;
  array: boolean;
}

/** Spellings the parser leaves as written that name the same stored type. */
const sameStoredType: Record<string, string> = {
  serial: 'int4',
  serial4: 'int4',
  integer: 'int4',
  int: 'int4',
  bigserial: 'int8',
  serial8: 'int8',
  bigint: 'int8',
  smallserial: 'int2',
  serial2: 'int2',
  smallint: 'int2',
  boolean: 'bool',
  decimal: 'numeric',
  'character varying': 'varchar',
  'double precision': 'float8',
  real: 'float4',
};

/** The type of a libpg-query `TypeName` node. */
export function columnTypeOf(typeName: unknown): ColumnType | undefined {
  const node = nodeOf(typeName, 'TypeName') ?? (typeName as AstNode | undefined);
  if (!node?.names) return undefined;
  const names = list(node.names)
    .map((n) => (nodeOf(n, 'String')?.sval as string) ?? '')
    .filter((n) => n !== 'pg_catalog' && n !== 'public');
  const written = names.join('.');
  const modifiers: number[] = [];
  for (const modifier of list(node.typmods)) {
    const constant = nodeOf(modifier, 'A_Const');
    // The JSON tree leaves out a zero, so `{ ival: {} }` is 0.
    const value = nodeOf(constant, 'ival');
    if (!value) return { name: sameStoredType[written] ?? written, modifiers: null, array: false };
    modifiers.push((value.ival as number | undefined) ?? 0);
  }
  return {
    name: sameStoredType[written] ?? written,
    modifiers,
    array: list(node.arrayBounds).length > 0,
  };
}

/** Types whose modifier is a length or precision that can only grow without touching a row. */
const growsInPlace = new Set(['varchar', 'varbit', 'timestamp', 'timestamptz', 'time', 'timetz']);

/** Pairs of different types PostgreSQL converts without looking at the data (binary-coercible). */
const binaryCoercible = new Set(['varchar>text', 'text>varchar', 'cidr>inet']);

/**
 * Whether changing a column from `from` to `to` keeps every stored value as it
 * is: PostgreSQL then neither rewrites nor scans the table, and readers see the
 * same values (a limit was raised or dropped). `varchar(n)` → `text`,
 * `varchar(n)` → `varchar(m)` with m ≥ n, `numeric(p, s)` → `numeric(q, s)`
 * with q ≥ p, any type → the same type without a limit. Arrays count only when
 * nothing changes: PostgreSQL converts them element by element.
 */
export function keepsStoredValues(from: ColumnType, to: ColumnType): boolean {
  if (from.modifiers === null || to.modifiers === null) return false;
  if (from.array !== to.array) return false;
  const sameModifiers =
    from.modifiers.length === to.modifiers.length &&
    from.modifiers.every((m, i) => m === to.modifiers![i]);
  if (from.name === to.name && sameModifiers) return true;
  if (from.array) return false;
  if (from.name !== to.name)
    return binaryCoercible.has(`${from.name}>${to.name}`) && to.modifiers.length === 0;
  if (to.modifiers.length === 0) return true;
  if (from.modifiers.length === 0) return false;
  if (growsInPlace.has(from.name)) return to.modifiers[0]! >= from.modifiers[0]!;
  if (from.name === 'numeric') {
    const [fromPrecision, fromScale = 0] = from.modifiers;
    const [toPrecision, toScale = 0] = to.modifiers;
    return toScale === fromScale && toPrecision! >= fromPrecision!;
  }
  return false;
}

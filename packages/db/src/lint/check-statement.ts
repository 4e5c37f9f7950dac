import {
  type AstNode,
  calledFunctions,
  columnConstraints,
  dottedName,
  kindOf,
  list,
  nameOf,
  nodeOf,
  relationName,
  schemaOf,
} from '../sql/ast.js';
import { columnTypeOf, keepsStoredValues } from './column-type.js';
import { type Rule, rules } from './rules.js';
import type { NewColumn, SchemaModel } from './schema-model.js';

/** What one statement of a migration does, as the rules need to know it. */
export interface StatementVerdict {
  broken: Rule[];
  /** A CONCURRENTLY statement: PostgreSQL refuses it inside a transaction block. */
  concurrent: boolean;
}

/** Functions whose value differs per row: as a column default they force a table rewrite. */
const volatileFunctions = new Set([
  'random',
  'gen_random_uuid',
  'uuid_generate_v4',
  'uuid_generate_v1',
  'clock_timestamp',
  'timeofday',
  'nextval',
  'txid_current',
]);

/**
 * Judges one statement against the schema the migrations so far have built
 * (objects there before the current migration may hold rows), and applies the
 * statement to that model.
 */
export function checkStatement(statement: unknown, model: SchemaModel): StatementVerdict {
  const verdict: StatementVerdict = { broken: [], concurrent: false };
  const flag = (rule: Rule) => {
    if (!verdict.broken.includes(rule)) verdict.broken.push(rule);
  };
  const kind = kindOf(statement);
  const body = nodeOf(statement, kind) ?? {};

  switch (kind) {
    case 'CreateStmt': {
      const table = relationName(body.relation);
      if (body.if_not_exists === true && model.hasTable(table)) break;
      const columns = list(body.tableElts)
        .map((e) => nodeOf(e, 'ColumnDef'))
        .filter((c): c is AstNode => c !== undefined);
      model.createTable(table, columns.map(newColumn), body.partspec !== undefined);
      break;
    }
    case 'CreateTableAsStmt':
      model.createTable(relationName(nodeOf(body, 'into')?.rel), []);
      break;
    case 'AlterTableStmt':
      checkAlterTable(body, model, flag);
      break;
    case 'IndexStmt': {
      const table = relationName(body.relation);
      const index = `${schemaOf(table)}.${body.idxname as string}`;
      verdict.concurrent = body.concurrent === true;
      if (body.if_not_exists === true && model.hasIndex(index)) break;
      if (model.tableMayHoldRows(table) && !verdict.concurrent)
        flag(rules.indexWithoutConcurrently);
      if (typeof body.idxname === 'string') model.createIndex(index, table);
      break;
    }
    case 'DropStmt': {
      const objects = list(body.objects).map((o) =>
        dottedName(nodeOf(o, 'List')?.items ?? nodeOf(o, 'TypeName')?.names ?? [o]),
      );
      verdict.concurrent = body.concurrent === true;
      for (const object of objects) {
        if (body.removeType === 'OBJECT_TABLE') {
          if (model.tableMayHoldRows(object)) flag(rules.dropTable);
          model.dropTable(object);
        } else if (body.removeType === 'OBJECT_INDEX') {
          if (model.indexOfTableWithRows(object) && !verdict.concurrent)
            flag(rules.dropIndexWithoutConcurrently);
          model.dropIndex(object);
        } else if (body.removeType === 'OBJECT_TYPE') {
          if (model.typeExistedBefore(object)) flag(rules.dropType);
          model.dropType(object);
        } else if (body.removeType === 'OBJECT_SCHEMA' && body.behavior === 'DROP_CASCADE') {
          model.dropSchema(nameOf(object));
        }
      }
      break;
    }
    case 'RenameStmt':
      checkRename(body, model, flag);
      break;
    case 'AlterObjectSchemaStmt': {
      if (body.objectType !== 'OBJECT_TABLE') break;
      const table = relationName(body.relation);
      // Code that names the table with its schema loses it just as with a rename.
      if (model.tableMayHoldRows(table)) flag(rules.renameTable);
      model.moveTable(table, body.newschema as string);
      break;
    }
    case 'AlterEnumStmt':
      if (body.oldVal) flag(rules.renameEnumValue);
      break;
    case 'CreateEnumStmt':
      model.createType(dottedName(body.typeName));
      break;
    case 'TruncateStmt':
      flag(rules.truncate);
      break;
    case 'ReindexStmt':
      verdict.concurrent = list(body.params).some(
        (p) => nodeOf(p, 'DefElem')?.defname === 'concurrently',
      );
      break;
  }
  return verdict;
}

const newColumn = (def: AstNode | undefined): NewColumn => ({
  name: def?.colname as string,
  type: columnTypeOf(def?.typeName),
});

function checkAlterTable(body: AstNode, model: SchemaModel, flag: (rule: Rule) => void): void {
  const table = relationName(body.relation);
  const holdsRows = model.tableMayHoldRows(table);
  for (const command of list(body.cmds)) {
    const cmd = nodeOf(command, 'AlterTableCmd') ?? {};
    const column = (cmd.name as string | undefined) ?? '';
    const columnHoldsValues = holdsRows && model.columnMayHoldValues(table, column);
    switch (cmd.subtype) {
      case 'AT_AddColumn': {
        const def = nodeOf(cmd.def, 'ColumnDef');
        if (cmd.missing_ok === true && model.hasColumn(table, def?.colname as string)) break;
        const constraints = columnConstraints(def);
        const generated = fillsEveryRow(def, constraints);
        const hasDefault = generated || constraints.some((c) => c.contype === 'CONSTR_DEFAULT');
        const notNull = constraints.some(
          (c) => c.contype === 'CONSTR_NOTNULL' || c.contype === 'CONSTR_PRIMARY',
        );
        if (holdsRows && notNull && !hasDefault) flag(rules.notNullColumnWithoutDefault);
        const defaults = constraints
          .filter((c) => c.contype === 'CONSTR_DEFAULT')
          .map((c) => c.raw_expr);
        if (
          holdsRows &&
          (generated || calledFunctions(defaults).some((f) => volatileFunctions.has(f)))
        )
          flag(rules.volatileDefault);
        if (holdsRows) for (const c of constraints) checkConstraint(c, flag);
        model.addColumn(table, newColumn(def));
        break;
      }
      case 'AT_DropColumn':
        if (columnHoldsValues) flag(rules.dropColumn);
        model.dropColumn(table, column);
        break;
      case 'AT_AlterColumnType': {
        const def = nodeOf(cmd.def, 'ColumnDef');
        const to = columnTypeOf(def?.typeName);
        const from = model.columnType(table, column);
        const valuesKept =
          from !== undefined &&
          to !== undefined &&
          keepsStoredValues(from, to) &&
          isPlainConversion(def?.raw_default, column);
        if (columnHoldsValues && !valuesKept) flag(rules.changeColumnType);
        model.setColumnType(table, column, to);
        break;
      }
      case 'AT_SetNotNull':
        // A column added by this migration is no exception: the table's rows are scanned all the same.
        if (holdsRows && !model.provesNotNull(table, column)) flag(rules.setNotNull);
        break;
      case 'AT_AddConstraint': {
        const constraint = nodeOf(cmd.def, 'Constraint') ?? {};
        if (holdsRows) checkConstraint(constraint, flag);
        const checked = notNullCheckColumn(constraint);
        if (checked !== null && typeof constraint.conname === 'string')
          model.addNotNullCheck(
            table,
            constraint.conname,
            checked,
            constraint.skip_validation !== true,
          );
        break;
      }
      case 'AT_ValidateConstraint':
        model.validateConstraint(table, column);
        break;
      case 'AT_DropConstraint':
        model.dropConstraint(table, column);
        break;
    }
  }
}

/** The column a `CHECK (column IS NOT NULL)` constraint is about, or null for any other constraint. */
function notNullCheckColumn(constraint: AstNode): string | null {
  if (constraint.contype !== 'CONSTR_CHECK') return null;
  const test = nodeOf(constraint.raw_expr, 'NullTest');
  if (test?.nulltesttype !== 'IS_NOT_NULL') return null;
  const fields = list(nodeOf(test.arg, 'ColumnRef')?.fields);
  const name = nodeOf(fields[0], 'String')?.sval;
  return fields.length === 1 && typeof name === 'string' ? name : null;
}

const serialTypes = new Set([
  'serial',
  'serial2',
  'serial4',
  'serial8',
  'smallserial',
  'bigserial',
]);

/**
 * A serial, identity or generated column: PostgreSQL computes a value for every
 * existing row (a sequence's next value, or the expression), so adding one
 * rewrites the table, and it never leaves a row NULL.
 */
function fillsEveryRow(def: AstNode | undefined, constraints: AstNode[]): boolean {
  const typeName = list(nodeOf(def, 'typeName')?.names);
  const written = nodeOf(typeName.at(-1), 'String')?.sval as string | undefined;
  return (
    serialTypes.has(written ?? '') ||
    constraints.some((c) => c.contype === 'CONSTR_IDENTITY' || c.contype === 'CONSTR_GENERATED')
  );
}

/** No `USING`, or one that only reads the column itself (possibly cast to the new type). */
function isPlainConversion(using: unknown, column: string): boolean {
  if (using === undefined) return true;
  const cast = nodeOf(using, 'TypeCast');
  const reference = nodeOf(cast ? cast.arg : using, 'ColumnRef');
  const fields = list(reference?.fields).map((f) => nodeOf(f, 'String')?.sval);
  return fields.length === 1 && fields[0] === column;
}

function checkRename(body: AstNode, model: SchemaModel, flag: (rule: Rule) => void): void {
  const newName = body.newname as string;
  switch (body.renameType) {
    case 'OBJECT_TABLE': {
      const table = relationName(body.relation);
      if (model.tableMayHoldRows(table)) flag(rules.renameTable);
      model.renameTable(table, `${schemaOf(table)}.${newName}`);
      break;
    }
    case 'OBJECT_COLUMN': {
      const table = relationName(body.relation);
      const column = body.subname as string;
      if (model.tableMayHoldRows(table) && model.columnMayHoldValues(table, column))
        flag(rules.renameColumn);
      model.renameColumn(table, column, newName);
      break;
    }
    case 'OBJECT_INDEX': {
      const index = relationName(body.relation);
      model.renameIndex(index, `${schemaOf(index)}.${newName}`);
      break;
    }
    case 'OBJECT_SCHEMA':
      if (model.schemaHoldsRows(body.subname as string)) flag(rules.renameSchema);
      model.renameSchema(body.subname as string, newName);
      break;
    case 'OBJECT_TYPE': {
      const type = dottedName(nodeOf(body.object, 'List')?.items);
      model.renameType(type, `${schemaOf(type)}.${newName}`);
      break;
    }
  }
}

/** A constraint added to a table that may hold rows: validated now, under a lock, unless NOT VALID. */
function checkConstraint(constraint: AstNode, flag: (rule: Rule) => void): void {
  const notValid = constraint.skip_validation === true;
  if (constraint.contype === 'CONSTR_FOREIGN' && !notValid) flag(rules.foreignKeyWithoutNotValid);
  if (constraint.contype === 'CONSTR_CHECK' && !notValid) flag(rules.checkWithoutNotValid);
  if (
    (constraint.contype === 'CONSTR_UNIQUE' || constraint.contype === 'CONSTR_PRIMARY') &&
    !constraint.indexname
  ) {
    flag(rules.uniqueConstraint);
  }
}

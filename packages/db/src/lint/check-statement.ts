import {
  type AstNode,
  calledFunctions,
  columnConstraints,
  dottedName,
  kindOf,
  list,
  nodeOf,
  relationName,
} from './ast.js';
import { type Rule, rules } from './rules.js';
import type { SchemaModel } from './schema-model.js';

/** What one statement of a migration does, as the rules need to know it. */
export interface StatementContext {
  /** The schema before the migration started: only objects here may hold rows. */
  before: SchemaModel;
  /** The schema as the migration has shaped it so far; updated statement by statement. */
  current: SchemaModel;
}

export interface StatementVerdict {
  broken: Rule[];
  concurrent: boolean;
  transactionControl: boolean;
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

export function checkStatement(statement: unknown, context: StatementContext): StatementVerdict {
  const verdict: StatementVerdict = { broken: [], concurrent: false, transactionControl: false };
  const flag = (rule: Rule) => {
    if (!verdict.broken.includes(rule)) verdict.broken.push(rule);
  };
  const { before, current } = context;
  const kind = kindOf(statement);
  const body = nodeOf(statement, kind) ?? {};

  switch (kind) {
    case 'CreateStmt': {
      const table = relationName(body.relation);
      const columns = list(body.tableElts)
        .map((e) => nodeOf(e, 'ColumnDef'))
        .filter((c): c is AstNode => c !== undefined);
      current.createTable(
        table,
        columns.map((c) => c.colname as string),
      );
      break;
    }
    case 'AlterTableStmt': {
      const table = relationName(body.relation);
      const existing = before.hasTable(table);
      for (const command of list(body.cmds)) {
        const cmd = nodeOf(command, 'AlterTableCmd') ?? {};
        const column = cmd.name as string | undefined;
        const existingColumn = existing && column !== undefined && before.hasColumn(table, column);
        switch (cmd.subtype) {
          case 'AT_AddColumn': {
            const def = nodeOf(cmd.def, 'ColumnDef');
            const constraints = columnConstraints(def);
            const hasDefault = constraints.some((c) => c.contype === 'CONSTR_DEFAULT');
            const notNull = constraints.some(
              (c) => c.contype === 'CONSTR_NOTNULL' || c.contype === 'CONSTR_PRIMARY',
            );
            if (existing && notNull && !hasDefault) flag(rules.notNullColumnWithoutDefault);
            const defaults = constraints
              .filter((c) => c.contype === 'CONSTR_DEFAULT')
              .map((c) => c.raw_expr);
            if (existing && calledFunctions(defaults).some((f) => volatileFunctions.has(f)))
              flag(rules.volatileDefault);
            if (existing) for (const c of constraints) checkConstraint(c, flag);
            current.addColumn(table, def?.colname as string);
            break;
          }
          case 'AT_DropColumn':
            if (existingColumn) flag(rules.dropColumn);
            current.dropColumn(table, column ?? '');
            break;
          case 'AT_AlterColumnType':
            if (existingColumn) flag(rules.changeColumnType);
            break;
          case 'AT_SetNotNull':
            if (existingColumn) flag(rules.setNotNull);
            break;
          case 'AT_AddConstraint': {
            const constraint = nodeOf(cmd.def, 'Constraint') ?? {};
            if (existing) checkConstraint(constraint, flag);
            break;
          }
        }
      }
      break;
    }
    case 'IndexStmt': {
      const table = relationName(body.relation);
      verdict.concurrent = body.concurrent === true;
      if (before.hasTable(table) && !verdict.concurrent) flag(rules.indexWithoutConcurrently);
      if (typeof body.idxname === 'string')
        current.createIndex(`${table.split('.')[0]}.${body.idxname}`, table);
      break;
    }
    case 'DropStmt': {
      const objects = list(body.objects).map((o) =>
        dottedName(nodeOf(o, 'List')?.items ?? nodeOf(o, 'TypeName')?.names ?? [o]),
      );
      verdict.concurrent = body.concurrent === true;
      for (const object of objects) {
        if (body.removeType === 'OBJECT_TABLE') {
          if (before.hasTable(object)) flag(rules.dropTable);
          current.dropTable(object);
        } else if (body.removeType === 'OBJECT_INDEX') {
          const owner = before.tableOfIndex(object);
          if (owner && before.hasTable(owner) && !verdict.concurrent)
            flag(rules.dropIndexWithoutConcurrently);
          current.dropIndex(object);
        } else if (body.removeType === 'OBJECT_TYPE') {
          if (before.hasType(object)) flag(rules.dropType);
          current.dropType(object);
        }
      }
      break;
    }
    case 'RenameStmt': {
      const table = relationName(body.relation);
      if (body.renameType === 'OBJECT_TABLE') {
        if (before.hasTable(table)) flag(rules.renameTable);
        current.renameTable(table, `${table.split('.')[0]}.${body.newname as string}`);
      } else if (body.renameType === 'OBJECT_COLUMN') {
        if (before.hasColumn(table, body.subname as string)) flag(rules.renameColumn);
        current.renameColumn(table, body.subname as string, body.newname as string);
      }
      break;
    }
    case 'AlterEnumStmt':
      if (body.oldVal) flag(rules.renameEnumValue);
      break;
    case 'CreateEnumStmt':
      current.createType(dottedName(body.typeName));
      break;
    case 'TruncateStmt':
      flag(rules.truncate);
      break;
    case 'TransactionStmt':
      verdict.transactionControl = true;
      break;
    case 'ReindexStmt':
      verdict.concurrent = list(body.params).some(
        (p) => nodeOf(p, 'DefElem')?.defname === 'concurrently',
      );
      break;
  }
  return verdict;
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

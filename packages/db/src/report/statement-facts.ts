import { dottedName, kindOf, list, nodeOf, relationName } from '../sql/ast.js';

/** What a reviewer wants to know about one statement: which table, which lock, what kind of change. */
export interface StatementFacts {
  tables: string[];
  lock: string;
  kinds: (
    | 'new table'
    | 'schema update'
    | 'relationships'
    | 'data migration'
    | 'deprecation'
    | 'performance'
  )[];
  newColumns: string[];
  newIndex: boolean;
  rewrite: boolean;
}

const exclusive = 'ACCESS EXCLUSIVE';

/** Lock levels per PostgreSQL's documentation of each command. */
export function statementFacts(statement: unknown): StatementFacts {
  const facts: StatementFacts = {
    tables: [],
    lock: 'none on existing tables',
    kinds: [],
    newColumns: [],
    newIndex: false,
    rewrite: false,
  };
  const kind = kindOf(statement);
  const body = nodeOf(statement, kind) ?? {};
  switch (kind) {
    case 'CreateStmt': {
      const table = relationName(body.relation);
      facts.tables.push(table);
      facts.kinds.push('new table');
      // A new table's columns are new columns too: that is where token and email columns usually arrive.
      for (const element of list(body.tableElts)) {
        const column = nodeOf(element, 'ColumnDef')?.colname;
        if (typeof column === 'string') facts.newColumns.push(`${table}.${column}`);
      }
      if (list(body.tableElts).some((e) => nodeOf(e, 'Constraint')?.contype === 'CONSTR_FOREIGN'))
        facts.kinds.push('relationships');
      break;
    }
    case 'AlterTableStmt': {
      const table = relationName(body.relation);
      facts.tables.push(table);
      const locks = new Set<string>();
      for (const command of list(body.cmds)) {
        const cmd = nodeOf(command, 'AlterTableCmd') ?? {};
        const constraint = nodeOf(cmd.def, 'Constraint');
        switch (cmd.subtype) {
          case 'AT_AddColumn':
            facts.kinds.push('schema update');
            facts.newColumns.push(`${table}.${nodeOf(cmd.def, 'ColumnDef')?.colname as string}`);
            locks.add(exclusive);
            break;
          case 'AT_DropColumn':
            facts.kinds.push('deprecation');
            locks.add(exclusive);
            break;
          case 'AT_AlterColumnType':
            facts.kinds.push('schema update');
            facts.rewrite = true;
            locks.add(exclusive);
            break;
          case 'AT_AddConstraint':
            if (constraint?.contype === 'CONSTR_FOREIGN') {
              facts.kinds.push('relationships');
              locks.add('SHARE ROW EXCLUSIVE (and on the referenced table)');
            } else {
              facts.kinds.push('schema update');
              locks.add(exclusive);
            }
            break;
          case 'AT_ValidateConstraint':
            locks.add('SHARE UPDATE EXCLUSIVE');
            break;
          default:
            facts.kinds.push('schema update');
            locks.add(exclusive);
        }
      }
      facts.lock = [...locks].join(', ') || exclusive;
      break;
    }
    case 'IndexStmt':
      facts.tables.push(relationName(body.relation));
      facts.kinds.push('performance');
      facts.newIndex = true;
      facts.lock = body.concurrent
        ? 'SHARE UPDATE EXCLUSIVE (writes continue)'
        : 'SHARE (blocks writes)';
      break;
    case 'DropStmt':
      if (body.removeType === 'OBJECT_TABLE') {
        facts.tables.push(
          ...list(body.objects).map((o) => dottedName(nodeOf(o, 'List')?.items ?? [o])),
        );
        facts.kinds.push('deprecation');
        facts.lock = exclusive;
      } else if (body.removeType === 'OBJECT_INDEX') {
        facts.kinds.push('performance');
        facts.lock = body.concurrent ? 'SHARE UPDATE EXCLUSIVE' : exclusive;
      } else {
        facts.kinds.push('deprecation');
      }
      break;
    case 'RenameStmt':
      facts.tables.push(relationName(body.relation));
      facts.kinds.push('schema update');
      facts.lock = exclusive;
      break;
    case 'InsertStmt':
    case 'UpdateStmt':
    case 'DeleteStmt':
      facts.tables.push(relationName(body.relation));
      facts.kinds.push('data migration');
      facts.lock = 'ROW EXCLUSIVE';
      break;
    case 'TruncateStmt':
      facts.tables.push(...list(body.relations).map((r) => relationName(nodeOf(r, 'RangeVar'))));
      facts.kinds.push('data migration');
      facts.lock = exclusive;
      break;
    case 'AlterEnumStmt':
    case 'CreateEnumStmt':
      facts.kinds.push('schema update');
      break;
  }
  return facts;
}

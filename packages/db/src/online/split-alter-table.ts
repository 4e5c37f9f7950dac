import { type AstNode, columnConstraints, nodeOf } from '../sql/ast.js';
import type { SqlToken } from '../sql/parse.js';
import {
  alterTablePrefix,
  type NoSafeForm,
  type SafeForm,
  type StatementText,
} from './safe-forms.js';

/**
 * Changes that mean the same as ALTER TABLE statements of their own, in order:
 * none of them needs another in the same statement to be valid, so a file that
 * commits each statement on its own may run them one by one.
 */
const splittable = new Set([
  'AT_AddColumn',
  'AT_DropColumn',
  'AT_SetNotNull',
  'AT_DropNotNull',
  'AT_ColumnDefault',
  'AT_AddConstraint',
  'AT_DropConstraint',
  'AT_ValidateConstraint',
]);

const constraintKinds = new Set([
  'CONSTR_FOREIGN',
  'CONSTR_CHECK',
  'CONSTR_UNIQUE',
  'CONSTR_PRIMARY',
]);

/** Why a change cannot become a statement whose safe form is written, or null when it can. */
function notSplittable(command: AstNode): string | null {
  const subtype = command.subtype as string;
  if (!splittable.has(subtype)) return `${subtype.replace(/^AT_/, '')} is not split automatically`;
  const constraint = nodeOf(command.def, 'Constraint');
  if (
    subtype === 'AT_AddConstraint' &&
    typeof constraint?.conname !== 'string' &&
    constraint?.contype !== 'CONSTR_PRIMARY'
  )
    return 'a constraint in it has no name';
  if (
    subtype === 'AT_AddColumn' &&
    columnConstraints(nodeOf(command.def, 'ColumnDef')).some((c) =>
      constraintKinds.has(c.contype as string),
    )
  )
    return 'a column in it comes with its constraint';
  return null;
}

/**
 * `ALTER TABLE t <change>, <change>` → one `ALTER TABLE t <change>` per change,
 * each cut from the statement's own text, so that each can take its safe form.
 */
export function splitAlterTable(
  statement: StatementText,
  commands: AstNode[],
): SafeForm | NoSafeForm {
  const split = `split it into one statement per change, then run --fix again`;
  for (const command of commands) {
    const why = notSplittable(command);
    if (why)
      return { reason: `one ALTER TABLE makes ${commands.length} changes and ${why}: ${split}` };
  }
  const prefix = alterTablePrefix(statement);
  if (prefix === null) return { reason: 'its table name was not found' };
  const groups: SqlToken[][] = [[]];
  let depth = 0;
  for (const token of statement.tokens.filter((t) => t.start >= prefix.length)) {
    if (token.text === '(' || token.text === '[') depth++;
    if (token.text === ')' || token.text === ']') depth--;
    if (token.text === ',' && depth === 0) groups.push([]);
    else groups.at(-1)!.push(token);
  }
  if (groups.length !== commands.length || groups.some((g) => g.length === 0))
    return { reason: `its ${commands.length} changes could not be told apart: ${split}` };
  const pieces = groups.map(
    (group) => `${prefix} ${statement.text.slice(group[0]!.start, group.at(-1)!.end)}`,
  );
  return {
    before: [],
    edited: pieces[0]!,
    after: pieces.slice(1),
    change: `ALTER TABLE with ${commands.length} changes → ${commands.length} statements`,
  };
}

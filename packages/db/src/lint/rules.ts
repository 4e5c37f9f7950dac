/**
 * The lint rules: a stable name to silence with `-- jam-db:allow <rule> <reason>`,
 * a severity, whether a finding makes the migration breaking for a running app,
 * a one-line explanation and the safe alternative.
 */
export interface Rule {
  name: string;
  severity: 'error' | 'warning';
  breaking: boolean;
  explanation: string;
  alternative: string;
}

const rule = (
  name: string,
  severity: Rule['severity'],
  breaking: boolean,
  explanation: string,
  alternative: string,
): Rule => ({
  name,
  severity,
  breaking,
  explanation,
  alternative,
});

export const rules = {
  dropColumn: rule(
    'drop-column',
    'error',
    true,
    'drops a column: its data is gone, and running code that reads or writes it fails',
    'stop using the column in a release first, then drop it in a later migration (expand, then contract)',
  ),
  dropTable: rule(
    'drop-table',
    'error',
    true,
    'drops a table: its rows are gone, and running code that uses it fails',
    'stop using the table in a release first; drop it later, after a backup',
  ),
  truncate: rule(
    'truncate',
    'error',
    true,
    'empties a table',
    'delete the rows you mean to delete, in a data migration reviewed as such',
  ),
  changeColumnType: rule(
    'change-column-type',
    'error',
    true,
    'changes a column type: most changes rewrite the table under an ACCESS EXCLUSIVE lock and break code that expects the old type',
    'expand/contract (not rewritten automatically yet; see README): add a column of the new type, backfill it in batches, switch the code, then drop the old column',
  ),
  renameColumn: rule(
    'rename-column',
    'error',
    true,
    'renames a column: running code that uses the old name fails at once',
    'add the new column (or a view), write both, move readers, then drop the old one',
  ),
  renameTable: rule(
    'rename-table',
    'error',
    true,
    'renames a table: running code that uses the old name fails at once',
    'create the new table or an updatable view with the new name, move the code, then drop the old name',
  ),
  renameSchema: rule(
    'rename-schema',
    'error',
    true,
    'renames a schema that holds tables: running code that names them with the old schema fails at once',
    'keep the schema name; if it must change, create the new schema, move tables one release at a time and keep views under the old name meanwhile',
  ),
  renameEnumValue: rule(
    'rename-enum-value',
    'error',
    true,
    'renames an enum value: rows and code that use the old value break',
    'add the new value, migrate rows and code to it, and stop using the old one',
  ),
  dropType: rule(
    'drop-type',
    'error',
    true,
    'drops a type that existed before (drizzle-kit does this to remove enum values): columns and code that use it break',
    'keep unused enum values; remove a type only after nothing uses it',
  ),
  notNullColumnWithoutDefault: rule(
    'add-not-null-column-without-default',
    'error',
    false,
    'adds a NOT NULL column without a default to a table that already exists: fails as soon as the table has rows',
    'add the column nullable (or with a constant default), backfill, then set NOT NULL via a NOT VALID check',
  ),
  setNotNull: rule(
    'set-not-null',
    'warning',
    false,
    'sets NOT NULL on an existing column: scans the whole table under an ACCESS EXCLUSIVE lock',
    'ADD CONSTRAINT … CHECK (col IS NOT NULL) NOT VALID, then VALIDATE CONSTRAINT, then SET NOT NULL (PostgreSQL 12+ uses the check), then drop the check; `jam-db lint --fix` writes this',
  ),
  foreignKeyWithoutNotValid: rule(
    'add-foreign-key-without-not-valid',
    'warning',
    false,
    'adds a foreign key to an existing table and checks every row while it locks both tables',
    'add it NOT VALID, then VALIDATE CONSTRAINT in a statement of its own (takes a weaker lock); `jam-db lint --fix` writes this',
  ),
  checkWithoutNotValid: rule(
    'add-check-without-not-valid',
    'warning',
    false,
    'adds a CHECK to an existing table and scans every row under an ACCESS EXCLUSIVE lock',
    'add it NOT VALID, then VALIDATE CONSTRAINT in a statement of its own; `jam-db lint --fix` writes this',
  ),
  uniqueConstraint: rule(
    'add-unique-constraint',
    'warning',
    false,
    'adds a UNIQUE or PRIMARY KEY constraint directly: builds its index under an ACCESS EXCLUSIVE lock',
    'CREATE UNIQUE INDEX CONCURRENTLY, then ADD CONSTRAINT … USING INDEX; `jam-db lint --fix` writes this',
  ),
  indexWithoutConcurrently: rule(
    'create-index-without-concurrently',
    'warning',
    false,
    'builds an index on an existing table without CONCURRENTLY: blocks every write to the table until it is done',
    'CREATE INDEX CONCURRENTLY (jam-db runs it outside a transaction); `jam-db lint --fix` writes this',
  ),
  dropIndexWithoutConcurrently: rule(
    'drop-index-without-concurrently',
    'warning',
    false,
    'drops an index of an existing table without CONCURRENTLY: takes an ACCESS EXCLUSIVE lock',
    'DROP INDEX CONCURRENTLY, one index per statement; `jam-db lint --fix` writes this',
  ),
  volatileDefault: rule(
    'volatile-default',
    'error',
    false,
    'adds a column whose default is volatile (or a serial, identity or generated column) to an existing table: rewrites the whole table under an ACCESS EXCLUSIVE lock',
    'expand/contract (not rewritten automatically yet; see README): add the column without a default, set the default, backfill existing rows in batches',
  ),
  concurrentlyInTransaction: rule(
    'concurrently-in-transaction',
    'error',
    false,
    'a CONCURRENTLY statement that jam-db does not recognise as one (a comment stands between its first words), so it runs it inside a transaction, where PostgreSQL refuses it',
    'write it as plain `CREATE [UNIQUE] INDEX CONCURRENTLY …` / `DROP INDEX CONCURRENTLY …`: jam-db then runs it on its own, outside any transaction',
  ),
  commitInMigration: rule(
    'commit-in-migration',
    'warning',
    false,
    'the migration commits on its own: jam-db runs it in segments cut at its BEGIN/COMMIT, each committed and recorded on its own, so a failure after a COMMIT keeps what came before it (`status` names the segments applied; `migrate` continues there); drizzle-kit migrate commits its whole run at that point instead',
    'drop BEGIN/COMMIT and let the migration run as one transaction; for a statement that must run outside one, use a migration of its own or the line `-- jam-db:no-transaction`',
  ),
  rollbackInMigration: rule(
    'rollback-in-migration',
    'error',
    false,
    'the migration rolls back or prepares its own transaction: jam-db cannot record such a file truthfully and refuses to run it',
    'remove the ROLLBACK (and what it would undo) or the two-phase commit statements',
  ),
  identifierTooLong: rule(
    'identifier-too-long',
    'error',
    false,
    'two different names longer than 63 bytes that PostgreSQL cuts to the same 63 bytes: the second collides with the first ("already exists"), or a statement meant for one reaches the other (a long name alone is harmless: every reference to it is cut the same way)',
    'give one of them a shorter name (with drizzle-kit, name the constraint or index explicitly)',
  ),
  syntaxError: rule(
    'syntax-error',
    'error',
    false,
    "PostgreSQL's parser rejects the statement, so the migration would fail when it runs",
    'fix the SQL; `pnpm db:migrate --dry-run` prints each statement as it would run',
  ),
  allowWithoutReason: rule(
    'allow-without-reason',
    'error',
    false,
    'a "-- jam-db:allow" comment without a rule and a reason silences nothing',
    'write -- jam-db:allow <rule> <why it is safe here>',
  ),
} as const;

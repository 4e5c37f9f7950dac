/**
 * What the migrations before one created and did not drop again, read from
 * their SQL: which tables, indexes and extensions exist, and the statement
 * that last defined each function, trigger and view. A down script derived
 * without a database uses it to leave alone what existed before its migration
 * (`CREATE TABLE IF NOT EXISTS` of an existing table) and to give a replaced
 * function its previous definition back.
 */
export class ObjectHistory {
  private readonly objects = new Map<string, string>();

  static key(kind: string, name: string): string {
    return `${kind}:${name.replace(/"/g, '').split('.').pop()!.toLowerCase()}`;
  }

  has(kind: string, name: string): boolean {
    return this.objects.has(ObjectHistory.key(kind, name));
  }

  /** The statement that last defined the object, if the history holds one. */
  definition(kind: string, name: string): string | undefined {
    return this.objects.get(ObjectHistory.key(kind, name));
  }

  /** Takes one up statement (comments stripped) into account. */
  record(sql: string): void {
    const create =
      /^create\s+(?:or\s+replace\s+)?(?:unique\s+)?(?:unlogged\s+)?(?:materialized\s+)?(?:constraint\s+)?(table|function|procedure|trigger|extension|index|view)\s+(?:concurrently\s+)?(?:if\s+not\s+exists\s+)?((?:"(?:[^"]|"")+"|[\w$]+)(?:\s*\.\s*(?:"(?:[^"]|"")+"|[\w$]+))?)/is.exec(
        sql,
      );
    if (create) {
      const kind = create[1]!.toLowerCase() === 'procedure' ? 'function' : create[1]!.toLowerCase();
      this.objects.set(ObjectHistory.key(kind, create[2]!), sql);
      return;
    }
    const drop =
      /^drop\s+(?:materialized\s+)?(table|function|procedure|trigger|extension|index|view)\s+(?:concurrently\s+)?(?:if\s+exists\s+)?((?:"(?:[^"]|"")+"|[\w$]+)(?:\s*\.\s*(?:"(?:[^"]|"")+"|[\w$]+))?)/is.exec(
        sql,
      );
    if (drop) {
      const kind = drop[1]!.toLowerCase() === 'procedure' ? 'function' : drop[1]!.toLowerCase();
      this.objects.delete(ObjectHistory.key(kind, drop[2]!));
    }
  }
}

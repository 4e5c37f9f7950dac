/** A statement the database refused, before the runner decides what to tell the user. */
export class StatementFailure extends Error {
  constructor(
    readonly tag: string,
    readonly path: string,
    readonly statement: string,
    readonly position: number,
    override readonly cause: unknown,
  ) {
    super(`statement ${position + 1} of ${tag} failed`);
  }

  /** PostgreSQL's lock_not_available: the statement waited longer than lock_timeout. */
  get isLockTimeout(): boolean {
    return (this.cause as { code?: string })?.code === '55P03';
  }
}

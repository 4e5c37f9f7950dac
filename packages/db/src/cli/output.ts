/**
 * Where the CLI writes. With --json, stdout carries exactly one JSON document,
 * so progress lines go to stderr instead.
 */
export class Output {
  /** Whether this process already printed its JSON document: a failure after it must not add a second. */
  static documentWritten = false;

  constructor(readonly json: boolean) {}

  /** A line of the human report: stdout normally, stderr under --json. */
  line(text = ''): void {
    (this.json ? process.stderr : process.stdout).write(`${text}\n`);
  }

  /** Something the user should act on that does not stop the command: stderr, so JSON stays clean. */
  warning(text: string): void {
    process.stderr.write(`jam-db: warning: ${text}\n`);
  }

  /** Progress that must never pollute stdout's JSON. */
  progress(text: string): void {
    if (!this.json) process.stdout.write(`${text}\n`);
  }

  document(value: unknown): void {
    Output.documentWritten = true;
    process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }
}

export const formatDuration = (ms: number): string =>
  ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;

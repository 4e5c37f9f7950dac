import { isJamDbError } from '../errors.js';
import { scrubSecrets, secretsOf } from '../target/target.js';
import { Output } from './output.js';

export interface FailureReportOptions {
  verbose: boolean;
  json: boolean;
}

/**
 * What the user sees of a failure: one paragraph on stderr (the stack only with
 * --verbose) and, under --json, the same as `{"error":{"code","message","hint"}}`
 * on stdout so a script reading stdout never gets an empty document. Returns the
 * exit code.
 */
export function reportFailure(error: unknown, options: FailureReportOptions): number {
  // From the raw DATABASE_URL, not the parsed target: a URL jam-db refused may still hold a password.
  const secrets = secretsOf(process.env.DATABASE_URL ?? '');
  const scrub = (text: string) => scrubSecrets(text, secrets);
  const known = isJamDbError(error);
  const code = known ? error.code : 'unexpected';
  const message = scrub(
    known
      ? error.message
      : `unexpected error: ${error instanceof Error ? error.message : String(error)}`,
  );
  const hint = known
    ? error.hint === undefined
      ? null
      : scrub(error.hint)
    : options.verbose
      ? null
      : 'Run again with --verbose for the stack trace.';
  process.stderr.write(`jam-db: ${message}${hint === null ? '' : `\n${hint}`}\n`);
  const stackOf = known ? error.cause : error;
  if (options.verbose && stackOf instanceof Error) {
    process.stderr.write(`${scrub(stackOf.stack ?? '')}\n`);
  }
  if (options.json && !Output.documentWritten) {
    new Output(true).document({ error: { code, message, hint } });
  }
  return known ? error.exitCode : 1;
}

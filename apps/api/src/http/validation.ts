import { zValidator } from '@hono/zod-validator';
import type { MiddlewareHandler, ValidationTargets } from 'hono';
import { z } from 'zod';
import { ApiError, badRequest } from '../errors.js';
import { shorten } from './bounded-text.js';
import { assertJsonContentType } from './json-content-type.js';
import { withStorableText } from './storable-text.js';

/**
 * Routes validate their input with @hono/zod-validator, so a route's input
 * types reach the typed client; these wrappers keep the API's own answers:
 * every failure is `{ error: { code, message } }` with a bounded message,
 * never zod's default body.
 *
 * Answers quote what the client sent (keys, paths, ids), so every quote is
 * bounded: 650 KB of unknown keys must not come back as a 700 KB error.
 */
const maxIssues = 5;
const maxKeysListed = 5;
const maxQuoted = 40;
const maxIssueText = 300;

const quote = (text: string) => JSON.stringify(shorten(text, maxQuoted));

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.map((segment) => shorten(String(segment), maxQuoted)).join('.');
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    const listed = issue.keys.slice(0, maxKeysListed).map(quote).join(', ');
    const more = issue.keys.length - maxKeysListed;
    message = `Unrecognized key(s): ${listed}${more > 0 ? ` and ${more} more` : ''}`;
  }
  return shorten(path ? `${path}: ${message}` : message, maxIssueText);
}

/** "rating: Too big: expected number to be <=5; urls.0: Invalid URL" */
export function describeIssues(error: z.core.$ZodError): string {
  const described = error.issues.slice(0, maxIssues).map(describeIssue);
  const more = error.issues.length - maxIssues;
  return more > 0 ? `${described.join('; ')}; and ${more} more issue(s)` : described.join('; ');
}

/**
 * Text the database cannot store is refused before the schema's own checks,
 * wherever it is. The validator types this result by zod's major version, which
 * TypeScript cannot settle for a generic schema; it is zod 4's safeParse result.
 */
const storableFirst = (schema: z.ZodType, value: unknown) =>
  withStorableText(schema).safeParse(value) as never;

/** A 400 `invalid_request` naming what was wrong with `what` ("request body", "query"). */
const refuse =
  (what: string) => (result: { success: true } | { success: false; error: z.core.$ZodError }) => {
    if (!result.success) throw badRequest(`Invalid ${what}: ${describeIssues(result.error)}.`);
  };

/**
 * The request's JSON body checked against `schema`: 415 unless it is sent as
 * JSON (a form or text/plain body is what a cross-site page can send without
 * asking first), 400 `invalid_json` for malformed JSON or 400 for a body that
 * does not fit. The zod validator alone would read a non-JSON body as `{}`.
 */
export function jsonBody<Schema extends z.ZodType>(schema: Schema) {
  const validate = zValidator('json', schema, refuse('request body'), {
    validationFunction: storableFirst,
  });
  const checked: typeof validate = async (c, next) => {
    assertJsonContentType(c.req.header('content-type'));
    try {
      JSON.parse(await c.req.text());
    } catch {
      throw new ApiError(400, 'invalid_json', 'The request body is not valid JSON.');
    }
    return validate(c, next);
  };
  return checked;
}

/**
 * The query checked against `schema`. A parameter given twice counts once,
 * with its first value, as everywhere else in the API.
 */
export function queryParams<Schema extends z.ZodType>(schema: Schema) {
  return zValidator('query', schema, refuse('query'), {
    validationFunction: (checked, value: ValidationTargets['query']) =>
      storableFirst(checked, firstValues(value)),
  });
}

const firstValues = (query: Record<string, string | string[]>) =>
  Object.fromEntries(
    Object.entries(query).map(([key, value]) => [key, Array.isArray(value) ? value[0] : value]),
  );

/** Ids are UUIDs; anything else cannot name a row, so it is a 400 rather than a 404. */
const idSchema = z.object({ id: z.guid() });

export const idParam = zValidator('param', idSchema, (result, c) => {
  if (result.success) return;
  const sent = c.req.param('id') ?? '';
  throw badRequest(
    `${quote(sent)} is not a valid id: ids are UUIDs such as 5eed0002-0000-4000-8000-000000000000.`,
  );
});

/**
 * For a request that needs no body: none, or JSON that fits `schema` (which
 * is how a misdirected request fails loudly instead of being ignored).
 */
export function noBodyOr<Schema extends z.ZodType>(schema: Schema): MiddlewareHandler {
  const body = jsonBody(schema);
  return async (c, next) => {
    if ((await c.req.text()).trim() === '') return next();
    return body(c, next);
  };
}

import type { Context } from 'hono';
import { z } from 'zod';
import { ApiError, badRequest } from '../errors.js';
import { shorten } from './bounded-text.js';
import { assertJsonContentType } from './json-content-type.js';
import { withStorableText } from './storable-text.js';

/**
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
export function describeIssues(error: z.ZodError): string {
  const described = error.issues.slice(0, maxIssues).map(describeIssue);
  const more = error.issues.length - maxIssues;
  return more > 0 ? `${described.join('; ')}; and ${more} more issue(s)` : described.join('; ');
}

export function parseWith<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  what: string,
): z.infer<Schema> {
  const result = withStorableText(schema).safeParse(value);
  if (!result.success) throw badRequest(`Invalid ${what}: ${describeIssues(result.error)}.`);
  return result.data as z.infer<Schema>;
}

/**
 * The request's JSON body checked against `schema`: 415 unless it is sent as
 * JSON (a form or text/plain body is what a cross-site page can send without
 * asking first), 400 for malformed JSON or a body that does not fit.
 */
export async function jsonBody<Schema extends z.ZodType>(
  c: Context,
  schema: Schema,
): Promise<z.infer<Schema>> {
  assertJsonContentType(c.req.header('content-type'));
  let body: unknown;
  try {
    body = JSON.parse(await c.req.text());
  } catch {
    throw new ApiError(400, 'invalid_json', 'The request body is not valid JSON.');
  }
  return parseWith(schema, body, 'request body');
}

/** Ids are UUIDs; anything else cannot name a row, so it is a 400 rather than a 404. */
const idSchema = z.guid();

export function idParam(c: Context, name = 'id'): string {
  const value = c.req.param(name) ?? '';
  if (!idSchema.safeParse(value).success) {
    throw badRequest(
      `${quote(value)} is not a valid id: ids are UUIDs such as 5eed0002-0000-4000-8000-000000000000.`,
    );
  }
  return value;
}

export function queryParams<Schema extends z.ZodType>(c: Context, schema: Schema): z.infer<Schema> {
  return parseWith(schema, c.req.query(), 'query');
}

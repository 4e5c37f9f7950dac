import type { Context } from 'hono';
import { z } from 'zod';
import { ApiError, badRequest } from '../errors.js';

/** "rating: Too big: expected number to be <=5; urls.0: Invalid URL" */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) =>
      issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
    )
    .join('; ');
}

export function parseWith<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  what: string,
): z.infer<Schema> {
  const result = schema.safeParse(value);
  if (!result.success) throw badRequest(`Invalid ${what}: ${describeIssues(result.error)}.`);
  return result.data;
}

/** The request's JSON body checked against `schema`: 400 for malformed JSON or a body that does not fit. */
export async function jsonBody<Schema extends z.ZodType>(
  c: Context,
  schema: Schema,
): Promise<z.infer<Schema>> {
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
  const value = c.req.param(name);
  if (!idSchema.safeParse(value).success) {
    throw badRequest(
      `"${value}" is not a valid id: ids are UUIDs such as 5eed0002-0000-4000-8000-000000000000.`,
    );
  }
  return value!;
}

export function queryParams<Schema extends z.ZodType>(c: Context, schema: Schema): z.infer<Schema> {
  return parseWith(schema, c.req.query(), 'query');
}

import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiError } from '../src/errors.js';
import { idParam, jsonBody, noBodyOr, queryParams } from '../src/http/validation.js';

/**
 * The validators on a bare Hono app with the API's error handler, no database:
 * what the routes get from @hono/zod-validator is our error shape and our
 * checks, in the order the routes rely on.
 */
const app = new Hono()
  .get('/pages', queryParams(z.object({ limit: z.coerce.number().int().max(50) })), (c) =>
    c.json(c.req.valid('query')),
  )
  .post('/things/:id', idParam, jsonBody(z.strictObject({ name: z.string().min(1) })), (c) =>
    c.json({ id: c.req.valid('param').id, ...c.req.valid('json') }),
  )
  .post('/start', noBodyOr(z.strictObject({})), (c) => c.json({ started: true }));
app.onError((error, c) => {
  if (error instanceof ApiError) return c.json(error.body, error.status);
  throw error;
});

const id = '5eed0002-0000-4000-8000-000000000000';
const post = (path: string, body: string | undefined, type = 'application/json') =>
  app.request(path, {
    method: 'POST',
    body,
    headers: body === undefined ? {} : { 'content-type': type },
  });
const answer = async (response: Response) => ({
  status: response.status,
  body: (await response.json()) as { error: { code: string; message: string } },
});

describe('request validation through @hono/zod-validator', () => {
  it('hands the route the parsed values', async () => {
    expect(await answer(await app.request('/pages?limit=7'))).toEqual({
      status: 200,
      body: { limit: 7 },
    });
    expect(await answer(await post(`/things/${id}`, '{"name":"x"}'))).toEqual({
      status: 200,
      body: { id, name: 'x' },
    });
  });

  it('answers a query that does not fit in the API’s error shape, not zod’s', async () => {
    expect(await answer(await app.request('/pages?limit=99'))).toEqual({
      status: 400,
      body: {
        error: {
          code: 'invalid_request',
          message: 'Invalid query: limit: Too big: expected number to be <=50.',
        },
      },
    });
  });

  it('reads a query parameter given twice with its first value', async () => {
    expect((await answer(await app.request('/pages?limit=3&limit=99'))).body).toEqual({
      limit: 3,
    });
  });

  it('refuses text the database cannot store before the schema’s own checks', async () => {
    const { status, body } = await answer(await post(`/things/${id}`, '{"name":"a\\u0000b"}'));
    expect(status).toBe(400);
    expect(body.error.message).toMatch(/^Invalid request body: name: holds a NUL character/);
  });

  it('checks the id before the body, and the media type before the JSON', async () => {
    expect(await answer(await post('/things/42', 'not json', 'text/plain'))).toEqual({
      status: 400,
      body: {
        error: {
          code: 'invalid_request',
          message:
            '"42" is not a valid id: ids are UUIDs such as 5eed0002-0000-4000-8000-000000000000.',
        },
      },
    });
    const form = await answer(await post(`/things/${id}`, 'name=x', 'text/plain'));
    expect(form.status).toBe(415);
    expect(form.body.error.code).toBe('unsupported_media_type');
    const malformed = await answer(await post(`/things/${id}`, '{"name":'));
    expect(malformed).toEqual({
      status: 400,
      body: { error: { code: 'invalid_json', message: 'The request body is not valid JSON.' } },
    });
    const unknownKey = await answer(await post(`/things/${id}`, '{"name":"x","extra":1}'));
    expect(unknownKey.body.error.message).toBe(
      'Invalid request body: Unrecognized key(s): "extra".',
    );
  });

  it('takes no body or a fitting one where a route needs none', async () => {
    expect((await post('/start', undefined)).status).toBe(200);
    expect((await post('/start', '{}')).status).toBe(200);
    expect((await post('/start', '{"x":1}')).status).toBe(400);
    expect((await post('/start', 'x=1', 'text/plain')).status).toBe(415);
  });
});

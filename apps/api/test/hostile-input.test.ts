import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { CorsConfigError, parseCorsOrigins } from '../src/http/cors-policy.js';
import { unstorableTextAnswer } from '../src/http/unstorable-text-error.js';
import { fixedNow, mentorshipId, questId } from './support/demo-rows.js';
import { call, expectError, tokenOf } from './support/requests.js';
import { describeOnEachEngine, type OpenDatabase, useSeededApp } from './support/seeded-app.js';

const graceAndLinus = mentorshipId(0);
const openQuest = questId(0, 2);

const nul = 'a\u0000b';
const loneSurrogate = 'a\ud800b';
const note = { date: '2026-06-14', topic: 'Demo', notes: 'Went well.', actionItems: ['Rehearse'] };

/** Three minutes: up to three times what setting up a seeded database takes under load. */
const setupBudget = 180_000;

function describeHostileInput(open: OpenDatabase) {
  const seeded = useSeededApp(open, { scale: 6, now: () => fixedNow, setupTimeoutMs: setupBudget });

  describe('text the database cannot store', () => {
    it.each([
      ['a NUL in the submission text', 'submissionText', { submissionText: nul }],
      [
        'a lone surrogate in a submission URL',
        'submissionUrls.1',
        {
          submissionText: 'ok',
          submissionUrls: ['https://a.example', `https://b.example/${loneSurrogate}`],
        },
      ],
    ])('answers 400 naming the field for %s', async (_, field, body) => {
      const answer = await call(seeded.app, 'POST', `/quests/${openQuest}/submission`, {
        as: 'linus',
        body,
      });
      expectError(
        answer,
        400,
        'invalid_request',
        new RegExp(`${field.replace('.', '\\.')}: holds a NUL`),
      );
    });

    it.each([
      ['a lone surrogate in the topic', 'topic', { ...note, topic: loneSurrogate }],
      ['a NUL in an action item', 'actionItems.1', { ...note, actionItems: ['fine', nul] }],
      ['a NUL in an unknown key', 'a\u0000key', { ...note, 'a\u0000key': 1 }],
    ])(
      'answers 400 naming the field for %s of a session note, storing nothing',
      async (_, field, body) => {
        const before = await call(seeded.app, 'GET', `/mentorships/${graceAndLinus}/notes`, {
          as: 'grace',
        });
        const answer = await call(seeded.app, 'POST', `/mentorships/${graceAndLinus}/notes`, {
          as: 'grace',
          body,
        });
        expectError(answer, 400, 'invalid_request');
        expect(answer.body.error.message).toContain(
          `${field}: holds a NUL character or a lone surrogate`,
        );
        const after = await call(seeded.app, 'GET', `/mentorships/${graceAndLinus}/notes`, {
          as: 'grace',
        });
        expect(after.body.total).toBe(before.body.total);
      },
    );

    it('answers 400 naming the parameter for a NUL in a query string', async () => {
      const answer = await call(seeded.app, 'GET', '/quests?category=a%00b');
      expectError(answer, 400, 'invalid_request', /category: holds a NUL/);
    });

    it.each([
      ['a NUL in text', sql`select ${nul}::text`],
      ['a NUL in jsonb', sql`select ${JSON.stringify([nul])}::jsonb`],
      ['a lone surrogate in jsonb', sql`select ${JSON.stringify([loneSurrogate])}::jsonb`],
    ])('still answers 400, not 500, when the database refuses %s', async (_, query) => {
      const error = await seeded.database.db.execute(query).then(
        () => undefined,
        (failure: unknown) => failure,
      );
      expect(error).toBeDefined();
      expect(unstorableTextAnswer(error)).toEqual({
        error: {
          code: 'invalid_request',
          message: expect.stringMatching(/NUL character or a lone surrogate/),
        },
      });
    });
  });

  describe('bodies that are not JSON', () => {
    it.each([
      ['no content type', undefined],
      ['text/plain', 'text/plain'],
      ['a form', 'application/x-www-form-urlencoded'],
      ['JSON in another charset', 'application/json; charset=latin1'],
    ])('answers 415 for %s', async (_, contentType) => {
      const headers: Record<string, string> = { authorization: `Bearer ${tokenOf('linus')}` };
      if (contentType) headers['content-type'] = contentType;
      const response = await seeded.app.request(`/quests/${openQuest}/submission`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ submissionText: 'sent as something else' }),
      });
      expect(response.status).toBe(415);
      expect(await response.json()).toEqual({
        error: {
          code: 'unsupported_media_type',
          message: expect.stringMatching(/Content-Type: application\/json/),
        },
      });
    });

    it('accepts JSON with a UTF-8 charset', async () => {
      const response = await seeded.app.request(`/quests/${openQuest}/submission`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${tokenOf('linus')}`,
          'content-type': 'application/json; charset=UTF-8',
        },
        body: JSON.stringify({ submissionText: 'sent as JSON' }),
      });
      expect(response.status).toBe(200);
    });
  });

  describe('error messages', () => {
    it('stay small for 650 KB of unknown keys, naming a few and counting the rest', async () => {
      const body: Record<string, string> = { submissionText: 'x' };
      for (let n = 0; n < 20_000; n++) body[`unknown_key_${n}_${'k'.repeat(20)}`] = 'v';
      const rawBody = JSON.stringify(body);
      expect(rawBody.length).toBeGreaterThan(650_000);
      const answer = await call(seeded.app, 'POST', `/quests/${openQuest}/submission`, {
        as: 'linus',
        rawBody,
      });
      expectError(
        answer,
        400,
        'invalid_request',
        /Unrecognized key\(s\): "unknown_key_0_k+", .* and 19995 more/,
      );
      expect(JSON.stringify(answer.body).length).toBeLessThan(1_000);
    });

    it('cut a long key short', async () => {
      const answer = await call(seeded.app, 'POST', `/quests/${openQuest}/submission`, {
        as: 'linus',
        body: { submissionText: 'x', ['y'.repeat(100_000)]: 1 },
      });
      expectError(answer, 400, 'invalid_request', /"y+…"/);
      expect(JSON.stringify(answer.body).length).toBeLessThan(1_000);
    });

    it('cut a long path short', async () => {
      const answer = await call(seeded.app, 'GET', `/${'p'.repeat(5_000)}`);
      expectError(answer, 404, 'not_found', /There is no route GET \/p+…\./);
      expect(JSON.stringify(answer.body).length).toBeLessThan(1_000);
    });

    it('cut a long id short', async () => {
      const answer = await call(seeded.app, 'GET', `/programs/${'z'.repeat(5_000)}`);
      expectError(answer, 400, 'invalid_request', /not a valid id/);
      expect(JSON.stringify(answer.body).length).toBeLessThan(1_000);
    });
  });
  describe('response headers', () => {
    it.each([
      ['a public answer', '/health', undefined, 200],
      ['an answer for a signed-in caller', '/me', 'linus', 200],
      ['a 401', '/me', undefined, 401],
      ['a 400', '/programs/42', undefined, 400],
      ['a 404', '/nowhere', undefined, 404],
    ] as const)('forbid content sniffing on %s', async (_, path, as, status) => {
      const answer = await call(seeded.app, 'GET', path, { as });
      expect(answer.status).toBe(status);
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    });

    it.each([
      ['/me', 'linus', 200],
      ['/me/quests', 'linus', 200],
      ['/mentorships', 'grace', 200],
      ['/me', undefined, 401],
    ] as const)('forbid caching of %s (as %s)', async (path, as, status) => {
      const answer = await call(seeded.app, 'GET', path, { as });
      expect(answer.status).toBe(status);
      expect(answer.headers.get('cache-control')).toBe('no-store');
    });

    it('leave public answers cacheable', async () => {
      const answer = await call(seeded.app, 'GET', '/programs');
      expect(answer.headers.get('cache-control')).toBeNull();
    });
  });

  describe('CORS', () => {
    const preflight = (target: ReturnType<typeof createApp>, origin: string) =>
      target.request('/me', {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization',
        },
      });

    it('answers a preflight from an allowed origin without asking for a token', async () => {
      const allowing = createApp(seeded.database, { corsOrigins: ['https://jam.example'] });
      const response = await preflight(allowing, 'https://jam.example');
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe('https://jam.example');
      expect(response.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
      const get = await allowing.request('/me', {
        headers: { origin: 'https://jam.example', authorization: `Bearer ${tokenOf('linus')}` },
      });
      expect(get.status).toBe(200);
      expect(get.headers.get('access-control-allow-origin')).toBe('https://jam.example');
    });

    it('allows no other origin, and none by default', async () => {
      const allowing = createApp(seeded.database, { corsOrigins: ['https://jam.example'] });
      const other = await preflight(allowing, 'https://evil.example');
      expect(other.status).toBe(204);
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
      const byDefault = await preflight(seeded.app, 'https://jam.example');
      expect(byDefault.status).toBe(204);
      expect(byDefault.headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  describe('log lines', () => {
    it('escape control characters in the path, so a request cannot forge a line', async () => {
      const lines: string[] = [];
      const logging = createApp(seeded.database, { log: (line) => lines.push(line) });
      await logging.request('/programs%0AGET%20/admin%20200%201ms%0D%1B[2J');
      expect(lines).toHaveLength(1);
      expect(lines[0]).not.toMatch(/[\n\r]/);
      expect(lines[0]).not.toContain(String.fromCharCode(0x1b));
      expect(lines[0]).toMatch(/^GET \/programs\\x0aGET \/admin 200 1ms\\x0d\\x1b\[2J 404 \d+ms$/);
    });
  });
}

describe('CORS_ALLOWED_ORIGINS', () => {
  it('reads a comma-separated list of origins, or * for any', () => {
    expect(parseCorsOrigins(undefined)).toEqual([]);
    expect(parseCorsOrigins(' https://jam.example , http://localhost:5173 ')).toEqual([
      'https://jam.example',
      'http://localhost:5173',
    ]);
    expect(parseCorsOrigins('*')).toEqual(['*']);
  });

  it.each(['jam.example', 'https://jam.example/app', 'ftp://jam.example'])(
    'refuses %s, naming it',
    (value) => {
      expect(() => parseCorsOrigins(value)).toThrow(CorsConfigError);
      expect(() => parseCorsOrigins(value)).toThrow(
        new RegExp(`"${value}", which is not an origin`),
      );
    },
  );
});

describeOnEachEngine('hostile input', describeHostileInput);

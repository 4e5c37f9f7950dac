import { describe, expect, it } from 'vitest';
import { ApiFailure, api, call, failureOf, messageOf } from '../src/api/client.js';
import { friendlyMessage } from '../src/api/friendly-errors.js';

/** Every code the API answers with (apps/api/src/errors.ts), plus the client's own. */
const apiCodes = [
  'invalid_json',
  'invalid_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'quest_closed',
  'already_taken',
  'already_completed',
  'payload_too_large',
  'internal',
  'unavailable',
];

describe('failureOf', () => {
  it("keeps the API's code and message for code and debugging, and shows a sentence for people", async () => {
    const response = new Response(
      JSON.stringify({
        error: {
          code: 'quest_closed',
          message: 'The quest "Map" takes no submissions: it closed on 2024-07-26T00:00:00.000Z.',
        },
      }),
      { status: 409 },
    );
    const failure = await failureOf(response);
    expect(failure).toMatchObject({
      status: 409,
      code: 'quest_closed',
      detail: 'The quest "Map" takes no submissions: it closed on 2024-07-26T00:00:00.000Z.',
      message: 'This quest is not open right now, so it cannot be taken or handed in.',
    });
  });

  it('says the server is not answering when the proxy answers without a body', async () => {
    const failure = await failureOf(new Response('', { status: 502 }));
    expect(failure.code).toBe('unavailable');
    expect(failure.message).toBe(
      'The Jam server is not answering. Check your connection and try again in a moment.',
    );
  });
});

describe('call', () => {
  it('turns a request that never reaches a server into the same friendly failure', async () => {
    // In Node a relative URL cannot be fetched at all: as close to "no network" as it gets without one.
    const failure = await call((options) => api.programs.$get({ query: {} }, options)).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ApiFailure);
    expect(failure).toMatchObject({ status: 0, code: 'unavailable' });
  });
});

describe('friendlyMessage', () => {
  it.each(apiCodes)('writes a sentence for %s without codes, JSON or field paths', (code) => {
    const message = friendlyMessage(code, 'Invalid request body: submissionText.0: {"x":1}');
    expect(message).toMatch(/^[A-Z].*\.$/);
    expect(message).not.toMatch(/[{}_]|\binvalid\b|\bcode\b|[a-z][A-Z]/);
  });

  it('names the field to fix when the API says which one was refused', () => {
    expect(
      friendlyMessage(
        'invalid_request',
        'Invalid request body: submissionUrls.0: must be an http(s) URL.',
      ),
    ).toBe(
      'Please check the form. Each link must be a full web address starting with https:// or http://.',
    );
    expect(friendlyMessage('invalid_request', 'Invalid request body: rating: Too big.')).toBe(
      'Please check the form. Choose a rating from 1 to 5.',
    );
  });

  it('reads a mistyped id as an address that leads nowhere', () => {
    expect(
      friendlyMessage('invalid_request', '"42" is not a valid id: ids are UUIDs such as 5eed….'),
    ).toBe('This address does not point to anything here.');
  });

  it('apologises plainly for a code it does not know', () => {
    expect(friendlyMessage('teapot', 'I am a teapot')).toBe(
      'Something went wrong. Please try again.',
    );
  });
});

describe('messageOf', () => {
  it('shows no text of an unexpected error (a bug of ours), only an apology', () => {
    expect(messageOf(new TypeError("Cannot read properties of undefined (reading 'x')"))).toBe(
      'Something went wrong on our side. Please try again in a moment.',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { failureOf } from '../src/api/client.js';

describe('failureOf', () => {
  it("carries the API's error code and message", async () => {
    const response = new Response(
      JSON.stringify({
        error: { code: 'quest_closed', message: 'The quest takes no submissions.' },
      }),
      { status: 409 },
    );
    const failure = await failureOf(response);
    expect(failure).toMatchObject({
      status: 409,
      code: 'quest_closed',
      message: 'The quest takes no submissions.',
    });
  });

  it('says the API may be down when the proxy answers without a body', async () => {
    const failure = await failureOf(new Response('', { status: 502 }));
    expect(failure).toMatchObject({
      code: 'unavailable',
      message: 'The API answered 502; is it running?',
    });
  });
});

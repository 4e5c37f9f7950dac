import { demoTokens } from '@jam/db';
import { expect } from 'vitest';
import type { createApp } from '../../src/app.js';

type App = ReturnType<typeof createApp>;
export type DemoName = 'ada' | 'grace' | 'katherine' | 'linus' | 'margaret' | 'alan';

/** The seed's development token of a demo user. */
export const tokenOf = (name: DemoName): string =>
  demoTokens.find((t) => t.email === `${name}@demo.jam.dev`)!.token;

export interface Call {
  as?: DemoName | { token: string };
  body?: unknown;
  rawBody?: string;
}

// biome-ignore lint/suspicious/noExplicitAny: tests read answers freely; their assertions check the shape.
export interface Answer<Body = any> {
  status: number;
  body: Body;
  headers: Headers;
}

/** One request through `app.request()`: JSON in, JSON out, no port opened. */
// biome-ignore lint/suspicious/noExplicitAny: as above.
export async function call<Body = any>(
  app: App,
  method: string,
  path: string,
  options: Call = {},
): Promise<Answer<Body>> {
  const headers: Record<string, string> = {};
  if (options.as) {
    headers.authorization = `Bearer ${typeof options.as === 'string' ? tokenOf(options.as) : options.as.token}`;
  }
  let payload: string | undefined;
  if (options.rawBody !== undefined) payload = options.rawBody;
  else if (options.body !== undefined) payload = JSON.stringify(options.body);
  if (payload !== undefined) headers['content-type'] = 'application/json';
  const response = await app.request(path, { method, headers, body: payload });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? JSON.parse(text) : null,
    headers: response.headers,
  };
}

/** Every failure answers `{ error: { code, message } }` and nothing else. */
export function expectError(answer: Answer, status: number, code: string, message?: RegExp): void {
  expect(answer.status).toBe(status);
  expect(answer.body).toEqual({ error: { code, message: expect.any(String) } });
  if (message) expect(answer.body.error.message).toMatch(message);
}

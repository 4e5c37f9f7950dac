import { createDb, type JamDb } from '@jam/db';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../src/app.js';

describe('a failing database query', () => {
  // Never migrated, so every query fails with a message naming the missing table.
  let unmigrated: JamDb;
  beforeAll(async () => {
    unmigrated = await createDb({ target: { engine: 'pglite', dataDir: null } });
  });
  afterAll(() => unmigrated?.close());

  it('answers 500 in the error shape without database details', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const response = await createApp(unmigrated).request('/programs');
    expect(log).toHaveBeenCalledOnce();
    const logged = String(log.mock.calls[0]?.[0]);
    log.mockRestore();
    // The class and SQLSTATE only: never the SQL, the values or the table the driver names.
    expect(logged).toMatch(/^GET \/programs failed: \w+ \(SQLSTATE 42P01\)$/);
    expect(logged).not.toMatch(/relation|select|does not exist/i);

    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      error: { code: 'internal', message: 'Something went wrong on our side; please try again.' },
    });
    expect(text).not.toMatch(/programs|relation|select/i);
  });
});

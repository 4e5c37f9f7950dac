import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  describeTarget,
  redactUrl,
  resolveTarget,
  scrubPassword,
  scrubSecrets,
  secretsOf,
} from '../src/target/target.js';

describe('resolveTarget chooses the engine from DATABASE_URL', () => {
  it('defaults to PGlite in <repo root>/.jam/pglite', () => {
    const target = resolveTarget({});
    expect(target.engine).toBe('pglite');
    expect((target as { dataDir: string }).dataDir).toMatch(/[/\\]\.jam[/\\]pglite$/);
  });

  it('reads pglite:memory and pglite:<dir> relative to where the command ran', () => {
    expect(resolveTarget({ DATABASE_URL: 'pglite:memory' })).toEqual({
      engine: 'pglite',
      dataDir: null,
    });
    expect(resolveTarget({ DATABASE_URL: 'pglite:data/db', INIT_CWD: '/home/me' })).toEqual({
      engine: 'pglite',
      dataDir: join('/home/me', 'data/db'),
    });
  });

  it('uses node-postgres for postgres:// and Neon for *.neon.tech or JAM_DB_DRIVER=neon', () => {
    expect(resolveTarget({ DATABASE_URL: 'postgresql://u@db.internal/jam' }).engine).toBe(
      'postgres',
    );
    expect(
      resolveTarget({ DATABASE_URL: 'postgres://u:p@ep-x.eu-central-1.aws.neon.tech/jam' }).engine,
    ).toBe('neon');
    expect(
      resolveTarget({ DATABASE_URL: 'postgres://u@127.0.0.1/jam', JAM_DB_DRIVER: 'neon' }).engine,
    ).toBe('neon');
  });

  it('refuses combinations that cannot work', () => {
    expect(() => resolveTarget({ JAM_DB_DRIVER: 'neon' })).toThrow(/needs a DATABASE_URL/);
    expect(() =>
      resolveTarget({ DATABASE_URL: 'postgres://u@h/db', JAM_DB_DRIVER: 'pglite' }),
    ).toThrow(/conflicts/);
    expect(() => resolveTarget({ DATABASE_URL: 'not a url' })).toThrow(/not a URL jam-db can read/);
  });
});

describe('passwords never reach a message', () => {
  it('redacts URLs and scrubs driver messages', () => {
    const url = 'postgres://jam:p%40ss@host/db';
    expect(redactUrl(url)).toBe('postgres://jam:***@host/db');
    expect(describeTarget({ engine: 'postgres', url })).toBe(
      'PostgreSQL at postgres://jam:***@host/db',
    );
    expect(scrubPassword('auth failed for p@ss and p%40ss', { engine: 'postgres', url })).toBe(
      'auth failed for *** and ***',
    );
  });
});

describe('credentials in query parameters and connection strings', () => {
  it('redacts password and sslpassword parameters, keeping file paths visible', () => {
    expect(
      redactUrl(
        'postgres://jam@host/db?sslmode=require&password=qp-secret&sslpassword=key-secret&sslkey=/etc/key.pem',
      ),
    ).toBe(
      'postgres://jam@host/db?sslmode=require&password=***&sslpassword=***&sslkey=%2Fetc%2Fkey.pem',
    );
    expect(redactUrl('postgres://jam:a-secret@host/db?PASSWORD=other')).toBe(
      'postgres://jam:***@host/db?PASSWORD=***',
    );
  });

  it('scrubs every form of every secret from driver messages', () => {
    const url = 'postgres://jam:p%40ss@host/db?password=q%2Bp+w&sslpassword=k3y';
    const target = { engine: 'postgres' as const, url };
    expect(
      scrubPassword('p@ss p%40ss q+p w q%2Bp+w q+p+w k3y', target)
        .split(' ')
        .every((w) => w === '***'),
    ).toBe(true);
  });

  it('scrubs a password holding an unencoded @ whole', () => {
    const url = 'postgres://jam:p@ss-word@host/db';
    expect(redactUrl(url)).toBe('postgres://jam:***@host/db');
    expect(scrubPassword('password p@ss-word rejected', { engine: 'postgres', url })).toBe(
      'password *** rejected',
    );
  });

  it('finds the secrets of a key=value connection string', () => {
    expect(secretsOf("host=db password='it is secret' user=jam")).toContain('it is secret');
    expect(secretsOf('host=db password=plain user=jam')).toContain('plain');
    expect(scrubSecrets('auth failed: plain', secretsOf('password=plain'))).toBe(
      'auth failed: ***',
    );
  });

  it('keeps a query-string password out of the client description the API prints at start-up', async () => {
    const { createDb } = await import('../src/client/create-db.js');
    const client = await createDb({
      target: { engine: 'postgres', url: 'postgres://jam@127.0.0.1:1/jam?password=api-secret' },
    });
    try {
      expect(client.description).toBe('PostgreSQL at postgres://jam@127.0.0.1:1/jam?password=***');
    } finally {
      await client.close();
    }
  });
});

import { describe, expect, it } from 'vitest';
import { directEndpoint, neonDirectHost } from '../src/target/direct-endpoint.js';
import { resolveTarget } from '../src/target/target.js';

describe("Neon's pooled endpoint maps to its direct endpoint", () => {
  it('drops -pooler from the first label only', () => {
    expect(neonDirectHost('ep-cool-darkness-123456-pooler.us-east-2.aws.neon.tech')).toBe(
      'ep-cool-darkness-123456.us-east-2.aws.neon.tech',
    );
    expect(neonDirectHost('ep-cool-darkness-123456.us-east-2.aws.neon.tech')).toBeNull();
    expect(neonDirectHost('ep-x.pooler-region.aws.neon.tech')).toBeNull();
    expect(neonDirectHost('-pooler.aws.neon.tech')).toBeNull();
    expect(neonDirectHost('localhost-pooler')).toBeNull();
  });

  it('rewrites only the host of a Neon URL, keeping user, password, database and options, and says so without the password', () => {
    const target = resolveTarget({
      DATABASE_URL:
        'postgres://alex:s3cret@ep-x-123-pooler.eu-central-1.aws.neon.tech/jam?sslmode=require',
    });
    const endpoint = directEndpoint(target, {});
    expect(endpoint.target).toEqual({
      engine: 'neon',
      url: 'postgres://alex:s3cret@ep-x-123.eu-central-1.aws.neon.tech/jam?sslmode=require',
    });
    expect(endpoint.note).toMatch(
      /Neon's pooled endpoint \(ep-x-123-pooler\.eu-central-1\.aws\.neon\.tech\); the migration session uses the direct endpoint ep-x-123\.eu-central-1\.aws\.neon\.tech/,
    );
    expect(endpoint.note).not.toContain('s3cret');
  });

  it('rewrites a Neon host reached with JAM_DB_DRIVER=postgres too, and leaves other hosts alone', () => {
    const viaNodePostgres = resolveTarget({
      DATABASE_URL: 'postgres://u@ep-y-pooler.us-east-2.aws.neon.tech/db',
      JAM_DB_DRIVER: 'postgres',
    });
    expect(directEndpoint(viaNodePostgres, {}).target).toEqual({
      engine: 'postgres',
      url: 'postgres://u@ep-y.us-east-2.aws.neon.tech/db',
    });
    const other = resolveTarget({ DATABASE_URL: 'postgres://u@db-pooler.internal:6432/db' });
    expect(directEndpoint(other, {})).toEqual({ target: other });
    const pglite = resolveTarget({ DATABASE_URL: 'pglite:memory' });
    expect(directEndpoint(pglite, {})).toEqual({ target: pglite });
  });
});

describe('JAM_DB_DIRECT_URL', () => {
  const pooled = resolveTarget({ DATABASE_URL: 'postgres://app:pw@pgbouncer.internal:6432/jam' });

  it('replaces the endpoint of the migration session, before any Neon rewrite', () => {
    const endpoint = directEndpoint(pooled, {
      JAM_DB_DIRECT_URL: 'postgres://owner:hunter2@db.internal:5432/jam',
    });
    expect(endpoint.target).toEqual({
      engine: 'postgres',
      url: 'postgres://owner:hunter2@db.internal:5432/jam',
    });
    expect(endpoint.note).toBe(
      'Using JAM_DB_DIRECT_URL for the migration session: PostgreSQL at postgres://owner:***@db.internal:5432/jam',
    );
    const neon = resolveTarget({ DATABASE_URL: 'postgres://u@ep-z-pooler.aws.neon.tech/db' });
    expect(
      directEndpoint(neon, { JAM_DB_DIRECT_URL: 'postgres://u@ep-z.aws.neon.tech/other' }).target,
    ).toEqual({ engine: 'neon', url: 'postgres://u@ep-z.aws.neon.tech/other' });
  });

  it('is refused with a clear message when it cannot be the same server', () => {
    expect(() => directEndpoint(pooled, { JAM_DB_DIRECT_URL: 'pglite:memory' })).toThrow(
      /JAM_DB_DIRECT_URL must be a postgres:\/\/ URL/,
    );
    expect(() => directEndpoint(pooled, { JAM_DB_DIRECT_URL: 'not a url' })).toThrow(
      /not a URL jam-db can read/,
    );
    const pglite = resolveTarget({ DATABASE_URL: 'pglite:memory' });
    expect(() =>
      directEndpoint(pglite, { JAM_DB_DIRECT_URL: 'postgres://u@db.internal/jam' }),
    ).toThrow(/DATABASE_URL points at PGlite in memory/);
  });
});

import { describe, expect, it } from 'vitest';
import { querySummary } from '../src/migrations/lock-holders.js';
import { lockRetryPauseMs } from '../src/migrations/lock-retries.js';

describe('the pauses between lock attempts', () => {
  it('double from 250 ms and stop growing at 5 s', () => {
    const middle = () => 0.5; // no jitter
    expect(Array.from({ length: 10 }, (_, i) => lockRetryPauseMs(i + 1, middle))).toEqual([
      250, 500, 1000, 2000, 4000, 5000, 5000, 5000, 5000, 5000,
    ]);
  });

  it('are stretched or shrunk by up to 25 % at random', () => {
    expect(lockRetryPauseMs(1, () => 0)).toBe(188); // 250 · 0.75, rounded
    expect(lockRetryPauseMs(3, () => 0.999_999)).toBe(1250);
    expect(lockRetryPauseMs(20, () => 0)).toBe(3750);
    const seen = new Set(Array.from({ length: 50 }, () => lockRetryPauseMs(4)));
    expect(seen.size).toBeGreaterThan(1);
    for (const pause of seen) {
      expect(pause).toBeGreaterThanOrEqual(1500);
      expect(pause).toBeLessThanOrEqual(2500);
    }
  });

  it('add up to about 33 s over the default ten retries', () => {
    const total = Array.from({ length: 10 }, (_, i) => lockRetryPauseMs(i + 1, () => 0.5)).reduce(
      (a, b) => a + b,
    );
    expect(total).toBe(32_750);
  });
});

describe('the query of a session that holds a lock, in a message', () => {
  it('masks string literals, where a password would be', () => {
    expect(querySummary("ALTER ROLE app PASSWORD 'hunter2'")).toBe("ALTER ROLE app PASSWORD '…'");
    expect(querySummary("select * from t where a = E'x\\'y' and b = $q$secret$q$")).toBe(
      "select * from t where a = '…' and b = '…'",
    );
    expect(querySummary("select 'unterminated")).toBe("select '…'");
  });

  it('folds white space and keeps at most 80 characters', () => {
    expect(querySummary('select *\n  from   hot\n for update')).toBe(
      'select * from hot for update',
    );
    const long = querySummary(`select ${'x, '.repeat(60)}y from hot`);
    expect(long).toHaveLength(80);
    expect(long.endsWith('…')).toBe(true);
  });
});

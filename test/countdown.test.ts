/** Expiry countdown maths, including a device whose clock is wrong. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatRemaining, nextChangeIn, remainingMs } from '../src/features/actions/countdown.ts';
import { observeServerTime, serverNow } from '../src/lib/clock.ts';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('formatRemaining', () => {
  it('is coarse far away and exact to the second in the last hour', () => {
    expect(formatRemaining(7 * D - 1)).toBe('6d 23h');
    expect(formatRemaining(2 * D + 5 * H + 59 * M)).toBe('2d 5h');
    expect(formatRemaining(5 * H + 12 * M + 30 * S)).toBe('5h 12m');
    expect(formatRemaining(H + 59 * S)).toBe('1h 0m');
    expect(formatRemaining(4 * M + 12 * S)).toBe('4m 12s');
    expect(formatRemaining(4 * M + 11 * S + 1)).toBe('4m 12s');
    expect(formatRemaining(42 * S)).toBe('42s');
    expect(formatRemaining(1)).toBe('1s');
    expect(formatRemaining(0)).toBe('0s');
  });
});

describe('nextChangeIn', () => {
  it('ticks every second in the last hour, and waits for the next minute or hour before that', () => {
    expect(nextChangeIn(4 * M + 12 * S + 300)).toBe(300);
    expect(nextChangeIn(4 * M + 12 * S)).toBe(S);
    expect(nextChangeIn(5 * H + 12 * M + 30 * S)).toBe(30 * S);
    expect(nextChangeIn(H + 20 * S)).toBe(20 * S);
    expect(nextChangeIn(2 * D + 30 * M)).toBe(30 * M);
    expect(nextChangeIn(D + 10 * M)).toBe(10 * M);
    expect(nextChangeIn(0)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('remaining time by the server clock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('counts right on a device whose clock is two hours behind', () => {
    vi.useFakeTimers();
    const serverTime = Date.UTC(2026, 10, 28, 12, 0, 0);
    vi.setSystemTime(serverTime - 2 * H); // the phone thinks it is 10:00
    observeServerTime(new Date(serverTime).toISOString(), Date.now() - 100, Date.now() + 100);
    expect(Math.abs(serverNow() - serverTime)).toBeLessThan(200);
    const expiresAt = new Date(serverTime + 90 * S).toISOString();
    // By the device's own clock it would still have 2 h 1 m 30 s; by the server's it has 90 s.
    expect(formatRemaining(remainingMs(expiresAt, serverNow()))).toBe('1m 30s');
    vi.advanceTimersByTime(91 * S);
    expect(remainingMs(expiresAt, serverNow())).toBeLessThanOrEqual(0);
  });
});

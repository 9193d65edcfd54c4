/** Quiet hours in a person's own time zone (§12): when a window holds and when it ends. */
import { describe, expect, it } from 'vitest';
import { quietUntil } from '../contract/quietHours.ts';

describe('quietUntil', () => {
  it('holds inside a window that crosses midnight, in the person’s time zone, and says when it ends', () => {
    const night = { from: '22:00', to: '07:00', timeZone: 'Europe/Berlin' };
    // 23:30 in Berlin (winter, UTC+1) is 22:30 UTC: quiet until 07:00 Berlin = 06:00 UTC.
    expect(quietUntil(night, Date.parse('2026-12-07T22:30:00Z'))).toBe(Date.parse('2026-12-08T06:00:00Z'));
    // 03:00 Berlin.
    expect(quietUntil(night, Date.parse('2026-12-08T02:00:00Z'))).toBe(Date.parse('2026-12-08T06:00:00Z'));
    // 07:00 Berlin: over; 21:59: not yet.
    expect(quietUntil(night, Date.parse('2026-12-08T06:00:00Z'))).toBeNull();
    expect(quietUntil(night, Date.parse('2026-12-08T20:59:00Z'))).toBeNull();
    // The same hours in New York are another UTC time.
    expect(quietUntil({ ...night, timeZone: 'America/New_York' }, Date.parse('2026-12-08T04:00:00Z'))).toBe(Date.parse('2026-12-08T12:00:00Z'));
  });

  it('holds inside a daytime window and not outside it', () => {
    const lunch = { from: '12:00', to: '13:30', timeZone: 'UTC' };
    expect(quietUntil(lunch, Date.parse('2026-12-08T12:15:00Z'))).toBe(Date.parse('2026-12-08T13:30:00Z'));
    expect(quietUntil(lunch, Date.parse('2026-12-08T11:59:00Z'))).toBeNull();
    expect(quietUntil(lunch, Date.parse('2026-12-08T13:30:00Z'))).toBeNull();
  });
});

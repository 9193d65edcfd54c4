/** Countdown maths for action expiry, pure: "now" is the server's clock (see lib/clock.ts). */
import { units } from '../../lib/time.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Coarse far away ("6d 23h", "5h 12m"), to the second in the last hour ("4m 12s", "42s"): in English;
 * the language's own narrow units elsewhere ("6 T, 23 Std.", "6天23小时").
 */
export function formatRemaining(ms: number): string {
  if (ms <= 0) return units([['second', 0]]);
  if (ms < MINUTE) return units([['second', Math.ceil(ms / SECOND)]]);
  if (ms < HOUR) {
    const total = Math.ceil(ms / SECOND);
    return units([['minute', Math.floor(total / 60)], ['second', total % 60]]);
  }
  if (ms < DAY) {
    const total = Math.floor(ms / MINUTE);
    return units([['hour', Math.floor(total / 60)], ['minute', total % 60]]);
  }
  const total = Math.floor(ms / HOUR);
  return units([['day', Math.floor(total / 24)], ['hour', total % 24]]);
}

/** How long until the text of formatRemaining changes (or the action expires). */
export function nextChangeIn(ms: number): number {
  if (ms <= 0) return Number.POSITIVE_INFINITY;
  if (ms <= HOUR) return ms % SECOND || SECOND;
  if (ms < DAY) return Math.min(ms - HOUR, ms % MINUTE || MINUTE);
  return Math.min(ms - DAY, ms % HOUR || HOUR);
}

export function remainingMs(expiresAt: string, now: number): number {
  return Date.parse(expiresAt) - now;
}

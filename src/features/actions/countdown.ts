/** Countdown maths for action expiry, pure: "now" is the server's clock (see lib/clock.ts). */
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Coarse far away ("6d 23h", "5h 12m"), to the second in the last hour ("4m 12s", "42s"). */
export function formatRemaining(ms: number): string {
  if (ms <= 0) return '0s';
  if (ms < MINUTE) return `${Math.ceil(ms / SECOND)}s`;
  if (ms < HOUR) {
    const total = Math.ceil(ms / SECOND);
    return `${Math.floor(total / 60)}m ${total % 60}s`;
  }
  if (ms < DAY) {
    const total = Math.floor(ms / MINUTE);
    return `${Math.floor(total / 60)}h ${total % 60}m`;
  }
  const total = Math.floor(ms / HOUR);
  return `${Math.floor(total / 24)}d ${total % 24}h`;
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

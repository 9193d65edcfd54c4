/** Time formatting, pure: the caller passes "now" (the server's clock, see clock.ts). */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A time a little ahead of `now` (clocks disagree, `now` ticks every 15 s) is "just now" too. */
export function relativeTime(at: number, now: number): string {
  const diff = now - at;
  if (diff < 45_000) return 'just now';
  if (diff < HOUR) return `${Math.round(diff / MINUTE)} min ago`;
  if (diff < DAY) return `${Math.floor(diff / HOUR)} h ago`;
  if (diff < 7 * DAY) {
    const days = Math.floor(diff / DAY);
    return days === 1 ? 'yesterday' : `${days} days ago`;
  }
  return new Date(at).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
}

export function absoluteTime(at: number): string {
  return new Date(at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

function startOfDay(t: number): number {
  const d = new Date(t);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/** The label of a day separator: Today, Yesterday, or the date. */
export function dayLabel(at: number, now: number): string {
  const days = Math.round((startOfDay(now) - startOfDay(at)) / DAY);
  if (days === 0) return 'Today';
  if (days === 1) return 'Yesterday';
  const sameYear = new Date(at).getFullYear() === new Date(now).getFullYear();
  return new Date(at).toLocaleDateString(undefined, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    ...(sameYear ? {} : { year: 'numeric' }),
  });
}

export function dayKey(at: number): number {
  return startOfDay(at);
}

/** How long after a thread began an event came: "+0 s", "+2 min 10 s", "+3 h 5 min", "+2 d 4 h". */
export function sinceStart(at: number, start: number): string {
  const ms = Math.max(0, at - start);
  const s = Math.floor(ms / 1000);
  if (ms < MINUTE) return `+${s} s`;
  if (ms < HOUR) return `+${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  const min = Math.floor(ms / MINUTE);
  if (ms < DAY) return `+${Math.floor(min / 60)} h${min % 60 ? ` ${min % 60} min` : ''}`;
  const h = Math.floor(ms / HOUR);
  return `+${Math.floor(h / 24)} d${h % 24 ? ` ${h % 24} h` : ''}`;
}

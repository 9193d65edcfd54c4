/**
 * Quiet hours (CONTRACT.md §12): a person's pushes wait until the end of their quiet hours, in their
 * own time zone, except urgent events and escalations. The rule, read by the server's push worker
 * and shown by the PWA.
 */
import { z } from 'zod';

export interface QuietHours {
  /** `HH:MM`, local time in `timeZone`. */
  from: string;
  to: string;
  /** An IANA time zone name: `Europe/Berlin`. */
  timeZone: string;
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes after midnight of `HH:MM`. */
export const minuteOf = (hhmm: string): number => {
  const m = HHMM.exec(hhmm);
  return m ? Number(m[1]) * 60 + Number(m[2]) : Number.NaN;
};
/** `HH:MM` of minutes after midnight. */
export const hhmmOf = (minute: number): string => `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

const knownZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

const time = z.string({ error: 'must be a time HH:MM (24 h)' }).regex(HHMM, { error: 'must be a time HH:MM (24 h)' });

/** PUT /api/account/quiet-hours: the hours, or null to have none. */
export const quietHoursBody = z.strictObject({
  quietHours: z
    .strictObject({
      from: time,
      to: time,
      timeZone: z.string({ error: 'must be a time zone name such as Europe/Berlin' }).max(64).refine(knownZone, { error: 'must be a time zone name such as Europe/Berlin' }),
    })
    .refine((q) => q.from !== q.to, { error: 'from and to must differ', path: ['to'] })
    .nullable(),
});

/** The minutes after local midnight in `timeZone` at `at` (with seconds, as a fraction). */
function localMinute(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(at));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get('hour') * 60 + get('minute') + get('second') / 60;
}

/**
 * When the quiet hours that hold at `at` end (epoch ms), or null when `at` is not in them. A window
 * may cross midnight (22:00–07:00). Measured in local minutes, so a daylight-saving change inside
 * the window moves its end by up to an hour at most.
 */
export function quietUntil(q: QuietHours, at: number): number | null {
  const from = minuteOf(q.from);
  const to = minuteOf(q.to);
  const now = localMinute(at, q.timeZone);
  const inside = from < to ? now >= from && now < to : now >= from || now < to;
  if (!inside) return null;
  const left = (to - now + 24 * 60) % (24 * 60);
  return at + Math.round(left * 60_000);
}

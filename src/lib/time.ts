/**
 * Time formatting, pure: the caller passes "now" (the server's clock, see clock.ts). In the app's
 * language, through Intl (its relative times, dates, units and lists); only "just now" is a text.
 */
import { t } from '../i18n/i18n.ts';
import { intlLocale } from '../i18n/locale.ts';
import { dateFormat, listFormat, numberFormat, relativeFormat } from './intl.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A time a little ahead of `now` (clocks disagree, `now` ticks every 15 s) is "just now" too. */
export function relativeTime(at: number, now: number): string {
  const diff = now - at;
  if (diff < 45_000) return t('core.time.justNow');
  const rtf = relativeFormat({ numeric: 'auto', style: 'short' });
  if (diff < HOUR) return rtf.format(-Math.round(diff / MINUTE), 'minute');
  if (diff < DAY) return rtf.format(-Math.floor(diff / HOUR), 'hour');
  if (diff < 7 * DAY) return rtf.format(-Math.floor(diff / DAY), 'day');
  return dateFormat({ day: 'numeric', month: 'short', year: 'numeric' }).format(at);
}

export function absoluteTime(at: number): string {
  return dateFormat({ dateStyle: 'medium', timeStyle: 'medium' }).format(at);
}

/** A number of units, narrow ("6d", "23h" in English), joined as the language joins units. */
export function units(parts: ReadonlyArray<readonly [Intl.NumberFormatOptions['unit'], number]>): string {
  return listFormat({ type: 'unit', style: 'narrow' }).format(parts.map(([unit, n]) => numberFormat({ style: 'unit', unit, unitDisplay: 'narrow' }).format(n)));
}

function startOfDay(t: number): number {
  const d = new Date(t);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/** The label of a day separator: Today, Yesterday (the language's words), or the date. */
export function dayLabel(at: number, now: number): string {
  const days = Math.round((startOfDay(now) - startOfDay(at)) / DAY);
  if (days === 0 || days === 1) {
    const word = relativeFormat({ numeric: 'auto' }).format(-days, 'day');
    return word.charAt(0).toLocaleUpperCase(intlLocale()) + word.slice(1);
  }
  const sameYear = new Date(at).getFullYear() === new Date(now).getFullYear();
  return dateFormat(sameYear ? { weekday: 'short', day: 'numeric', month: 'short' } : { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }).format(at);
}

export function dayKey(at: number): number {
  return startOfDay(at);
}

/** How long after a thread began an event came: "+0s", "+2m 10s", "+3h 5m", "+2d 4h" (in English). */
export function sinceStart(at: number, start: number): string {
  const ms = Math.max(0, at - start);
  const s = Math.floor(ms / 1000);
  const min = Math.floor(ms / MINUTE);
  const h = Math.floor(ms / HOUR);
  const two = (big: [Intl.NumberFormatOptions['unit'], number], small: [Intl.NumberFormatOptions['unit'], number]) => `+${units(small[1] ? [big, small] : [big])}`;
  if (ms < MINUTE) return `+${units([['second', s]])}`;
  if (ms < HOUR) return two(['minute', Math.floor(s / 60)], ['second', s % 60]);
  if (ms < DAY) return two(['hour', Math.floor(min / 60)], ['minute', min % 60]);
  return two(['day', Math.floor(h / 24)], ['hour', h % 24]);
}

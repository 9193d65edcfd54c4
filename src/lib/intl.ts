/**
 * The browser's Intl formatters in the app's language, each made once per language and options: a
 * formatter costs far more to make than to use (the first screen formats a time, a countdown and a
 * few numbers per card: made afresh each time, they were a tenth of its render on a slow phone).
 */
import { intlLocale } from '../i18n/locale.ts';

const made = new Map<string, unknown>();

// A formatter keeps the time zone it was made in: a phone that changed time zone (a flight) shows
// times in the new one from when the app comes back to the screen, not only after a reload.
if (typeof document !== 'undefined') document.addEventListener('visibilitychange', () => made.clear());

function once<T>(kind: string, options: object | undefined, make: (locale: string) => T): T {
  const locale = intlLocale();
  const key = `${kind} ${locale} ${options === undefined ? '' : JSON.stringify(options)}`;
  let formatter = made.get(key) as T | undefined;
  if (formatter === undefined) {
    formatter = make(locale);
    made.set(key, formatter);
  }
  return formatter;
}

export const dateFormat = (options?: Intl.DateTimeFormatOptions): Intl.DateTimeFormat => once('date', options, (l) => new Intl.DateTimeFormat(l, options));
export const numberFormat = (options?: Intl.NumberFormatOptions): Intl.NumberFormat => once('number', options, (l) => new Intl.NumberFormat(l, options));
export const relativeFormat = (options: Intl.RelativeTimeFormatOptions): Intl.RelativeTimeFormat => once('relative', options, (l) => new Intl.RelativeTimeFormat(l, options));
export const listFormat = (options: Intl.ListFormatOptions): Intl.ListFormat => once('list', options, (l) => new Intl.ListFormat(l, options));

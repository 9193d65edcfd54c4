/**
 * The account's language wins over what this device last showed: once the server says who is signed
 * in, a language chosen on another device (or given up there for the browser's) is shown here too,
 * and remembered for the next first paint. The pseudo-locale of the browser tests is left alone.
 */
import { useEffect } from 'react';
import type { Locale } from '../../contract/locales.ts';
import { activate, browserLocale, currentLocale, PSEUDO, storedLocale, storeLocale } from './i18n.ts';

export function useAccountLocale(chosen: Locale | null | undefined): void {
  useEffect(() => {
    if (chosen === undefined || storedLocale() === PSEUDO) return;
    if (storedLocale() !== chosen) storeLocale(chosen);
    const wanted = chosen ?? browserLocale();
    if (wanted !== currentLocale()) void activate(wanted).catch(() => undefined);
  }, [chosen]);
}

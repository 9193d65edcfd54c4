/**
 * The languages the app speaks (CONTRACT §14): their BCP 47 tags, their names in themselves, their
 * writing direction, and how a list of preferred languages (the browser's, an account's) picks one.
 * Shared by the PWA (what to show) and the server (what a push and an account may say).
 */
export const LOCALES = ['en', 'de', 'fr', 'es', 'pt-BR', 'it', 'nl', 'pl', 'ja', 'zh-CN', 'ar'] as const;
export type Locale = (typeof LOCALES)[number];

export const DEFAULT_LOCALE: Locale = 'en';

/**
 * The PWA's texts its first render needs (src/locales/<namespace>): loaded before it, and named in
 * index.html's `Link: rel=modulepreload` by the server (server/http/localePreload.ts).
 */
export const START_NAMESPACES = ['core', 'feed'] as const;

/** Each language's own name for itself: what the `Language` picker lists. */
export const LOCALE_NAMES: Record<Locale, string> = {
  en: 'English',
  de: 'Deutsch',
  fr: 'Français',
  es: 'Español',
  'pt-BR': 'Português (Brasil)',
  it: 'Italiano',
  nl: 'Nederlands',
  pl: 'Polski',
  ja: '日本語',
  'zh-CN': '简体中文',
  ar: 'العربية',
};

const RTL: ReadonlySet<Locale> = new Set<Locale>(['ar']);

export const localeDir = (locale: Locale): 'ltr' | 'rtl' => (RTL.has(locale) ? 'rtl' : 'ltr');

export const isLocale = (value: unknown): value is Locale => typeof value === 'string' && (LOCALES as readonly string[]).includes(value);

/**
 * The first of `preferred` (e.g. `navigator.languages`, `["de-AT", "en"]`) that the app speaks: an
 * exact tag first, then the same language in another region (`pt-PT` → `pt-BR`, `zh` → `zh-CN`,
 * `de-CH` → `de`); English when none matches. Tags are compared without case.
 */
export function pickLocale(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    const wanted = tag.trim().toLowerCase();
    if (!wanted) continue;
    const exact = LOCALES.find((l) => l.toLowerCase() === wanted);
    if (exact) return exact;
    const language = wanted.split(/[-_]/)[0];
    const sameLanguage = LOCALES.find((l) => l.toLowerCase().split('-')[0] === language);
    if (sameLanguage) return sameLanguage;
  }
  return DEFAULT_LOCALE;
}

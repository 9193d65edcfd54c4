/** The app under its language: a new language remounts it, so every text is drawn again in it. */
import { Fragment, type ReactNode, useSyncExternalStore } from 'react';
import { currentLocale, onLocaleChange } from './locale.ts';

export function LocaleRoot({ children }: { children: ReactNode }) {
  const locale = useSyncExternalStore(onLocaleChange, currentLocale);
  return <Fragment key={locale}>{children}</Fragment>;
}

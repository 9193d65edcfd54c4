import { useSyncExternalStore } from 'react';

/** Whether a media query matches now, following changes (a rotated tablet, a resized window). */
export function useMedia(query: string): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const list = matchMedia(query);
      list.addEventListener('change', onChange);
      return () => list.removeEventListener('change', onChange);
    },
    () => matchMedia(query).matches,
  );
}

/** From 1024 px: the feed and the opened event side by side. */
export const WIDE_QUERY = '(min-width: 1024px)';
export const useWide = () => useMedia(WIDE_QUERY);

import { useEffect } from 'react';

/**
 * The keyboard shortcuts (./keyboard.ts). A wide screen has a keyboard: they load at once. Elsewhere
 * (a phone) they load with the first key pressed, which is then handled as soon as they are in (too
 * late to cancel its default, which no shortcut key has on a phone): a phone's first screen does not
 * carry them.
 */
export function useShortcuts(wide: boolean): void {
  useEffect(() => {
    let handle: ((e: KeyboardEvent) => void) | null = null;
    let cancelled = false;
    const load = () =>
      import('./keyboard.ts').then((m) => {
        if (!cancelled) handle = m.createShortcutHandler(wide);
      });
    let loading = wide ? load() : null;
    const onKey = (e: KeyboardEvent) => {
      if (handle) handle(e);
      else {
        loading ??= load();
        void loading.then(() => handle?.(e));
      }
    };
    document.addEventListener('keydown', onKey);
    return () => {
      cancelled = true;
      document.removeEventListener('keydown', onKey);
    };
  }, [wide]);
}

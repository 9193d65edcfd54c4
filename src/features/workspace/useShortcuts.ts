import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { keyPress, shortcutFor } from './shortcuts.ts';
import { withTexts } from '../../lib/lazy.ts';

/**
 * The keyboard shortcuts (./keyboard.ts). A wide screen has a keyboard: they load at once. Elsewhere
 * (a phone, a narrow window, a tablet) they load with the first key pressed, which is handled as soon
 * as they are in: a phone's first screen does not carry them.
 */
export function useShortcuts(wide: boolean): void {
  const qc = useQueryClient();
  useEffect(() => {
    let handle: ((e: KeyboardEvent) => void) | null = null;
    let cancelled = false;
    let loading: Promise<void> | null = null;
    const load = () => {
      loading ??= withTexts(() => import('./keyboard.ts')).then(
        (m) => {
          if (!cancelled) handle = m.createShortcutHandler(wide, qc);
        },
        () => {
          loading = null; // offline before the precache was in: the next key tries again
        },
      );
      return loading;
    };
    if (wide) void load();
    const onKey = (e: KeyboardEvent) => {
      if (handle) return handle(e);
      // The keys whose default a browser acts on (⌘K / Ctrl+K its search bar, / a quick find) are
      // claimed now; the rest wait for the handler.
      const shortcut = shortcutFor(keyPress(e));
      if (shortcut === 'project' || shortcut === 'search') e.preventDefault();
      void load().then(() => handle?.(e));
    };
    document.addEventListener('keydown', onKey);
    return () => {
      cancelled = true;
      document.removeEventListener('keydown', onKey);
    };
  }, [wide, qc]);
}

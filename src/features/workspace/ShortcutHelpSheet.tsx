import { lazy, Suspense } from 'react';
import { useStore } from '../../lib/store.ts';
import { shortcutHelp } from './shortcutHelp.ts';

const ShortcutHelp = lazy(() => import('./ShortcutHelp.tsx').then((m) => ({ default: m.ShortcutHelp })));

/** The `?` sheet, loaded the first time it opens. */
export function ShortcutHelpSheet() {
  if (!useStore(shortcutHelp)) return null;
  return (
    <Suspense fallback={null}>
      <ShortcutHelp />
    </Suspense>
  );
}

import { Suspense } from 'react';
import { lazyRetry } from '../../lib/lazy.ts';
import { useStore } from '../../lib/store.ts';
import { shortcutHelp } from './shortcutHelp.ts';

const ShortcutHelp = lazyRetry(() => import('./ShortcutHelp.tsx').then((m) => ({ default: m.ShortcutHelp })));

/** The `?` sheet, loaded the first time it opens. */
export function ShortcutHelpSheet() {
  if (!useStore(shortcutHelp)) return null;
  return (
    <Suspense fallback={null}>
      <ShortcutHelp />
    </Suspense>
  );
}

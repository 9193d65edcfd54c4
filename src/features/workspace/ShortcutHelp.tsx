import { Sheet } from '../../components/Sheet.tsx';
import { useStore } from '../../lib/store.ts';
import { SHORTCUTS } from './shortcuts.ts';
import { shortcutHelp } from './shortcutHelp.ts';
import { t } from '../../i18n/i18n.ts';

/** The `?` sheet: the keyboard shortcuts. */
export function ShortcutHelp() {
  if (!useStore(shortcutHelp)) return null;
  return (
    <Sheet title={t('feed.keys.title')} onClose={() => shortcutHelp.set(false)}>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
        {SHORTCUTS.map((s) => (
          <div key={s.keys} className="contents">
            <dt>
              <kbd dir="ltr" className="rounded border border-slate-300 bg-slate-100 px-1.5 py-0.5 font-mono text-xs dark:border-slate-600 dark:bg-slate-800">{s.keys}</kbd>
            </dt>
            <dd>{s.what()}</dd>
          </div>
        ))}
      </dl>
    </Sheet>
  );
}

import { absoluteTime } from '../lib/time.ts';
import { offlineState } from '../lib/offline.ts';
import { useStore } from '../lib/store.ts';
import { pendingUpdate } from './pwa.ts';
import { t } from '../i18n/i18n.ts';

/** The app-wide notices: offline (and since when the data is), and a new version waiting. */
export function StatusBanners() {
  const { offline, asOf } = useStore(offlineState);
  const update = useStore(pendingUpdate);
  return (
    <>
      {offline && (
        <div role="status" className="border-b border-amber-300 bg-amber-50 px-3 py-2 text-center text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
          {asOf ? t('core.offline.asOf', { time: absoluteTime(Date.parse(asOf)) }) : t('core.offline.lastVisit')}
        </div>
      )}
      {update && (
        <div role="status" className="flex items-center justify-center gap-3 border-b border-sky-200 bg-sky-50 px-3 py-1.5 text-sm text-sky-900 dark:border-sky-900 dark:bg-sky-950 dark:text-sky-100">
          {t('core.update.available')}
          <button type="button" onClick={update} className="min-h-11 rounded-lg px-3 font-semibold underline">
            {t('core.reload')}
          </button>
        </div>
      )}
    </>
  );
}

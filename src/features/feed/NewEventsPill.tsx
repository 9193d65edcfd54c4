import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useStore } from '../../lib/store.ts';
import { atTop, heldEvents, releaseHeld } from './live.ts';
import { t } from '../../i18n/i18n.ts';

const TOP_THRESHOLD_PX = 120;

/** Tracks whether the person is at the top; shows "N new events" when new ones wait above. */
export function NewEventsPill() {
  const qc = useQueryClient();
  const held = useStore(heldEvents);

  useEffect(() => {
    const onScroll = () => {
      const top = window.scrollY < TOP_THRESHOLD_PX;
      atTop.set(top);
      if (top && heldEvents.get().length > 0) releaseHeld(qc);
    };
    // Where the page is, read at the next frame: reading it now would make the browser lay out the
    // first screen while React is still drawing it.
    const frame = requestAnimationFrame(onScroll);
    window.addEventListener('scroll', onScroll, { passive: true });
    return () => {
      cancelAnimationFrame(frame);
      window.removeEventListener('scroll', onScroll);
      atTop.set(true);
    };
  }, [qc]);

  if (held.length === 0) return null;
  return (
    <div className="pointer-events-none fixed inset-x-0 top-20 z-20 flex justify-center">
      <button
        type="button"
        // At the top, the scroll listener lets them in (scrolling first keeps the list from jumping).
        onClick={() => window.scrollTo({ top: 0 })}
        className="pointer-events-auto min-h-11 rounded-full bg-sky-600 px-4 text-sm font-semibold text-white shadow-lg hover:bg-sky-700 dark:bg-sky-500 dark:text-slate-950"
      >
        {t('feed.newEvents', { count: held.length })}
      </button>
    </div>
  );
}

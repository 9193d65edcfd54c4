import { Suspense, useEffect, useId, useRef, useState } from 'react';
import { lazyRetry } from '../../lib/lazy.ts';
import { setSearchParams } from '../../lib/router.tsx';
import type { FeedFilters as Filters } from './api.ts';
import { useMedia } from '../../lib/useMedia.ts';
import { t } from '../../i18n/i18n.ts';
import { stateWord } from './triage/words.ts';

/** The phone's sheet loads when first opened (the service worker has it precached). */
const FilterSheet = lazyRetry(() => import('./FilterSheet.tsx').then((m) => ({ default: m.FilterSheet })));
const InlineFilters = lazyRetry(() => import('./FilterControls.tsx').then((m) => ({ default: m.InlineFilters })));

const SEARCH_DEBOUNCE_MS = 250;

/** A filter that is on, with the one tap that takes it off. */
function Chip({ label, remove, tone = 'neutral' }: { label: string; remove: () => void; tone?: 'neutral' | 'test' }) {
  const tones = {
    neutral: 'bg-slate-200 text-slate-800 dark:bg-slate-800 dark:text-slate-100',
    test: 'bg-amber-100 text-amber-900 ring-1 ring-amber-300 dark:bg-amber-900/60 dark:text-amber-100 dark:ring-amber-700',
  };
  return (
    <span className={`inline-flex min-h-8 items-center gap-1 rounded-full ps-3 text-xs font-medium ${tones[tone]}`}>
      {label}
      <button type="button" onClick={remove} aria-label={t('feed.filter.remove', { label })} className="flex size-11 items-center justify-center -my-1.5 rounded-full">
        <span aria-hidden="true">✕</span>
      </button>
    </span>
  );
}

/**
 * Search, category, state (§12: "Not resolved" is the older "Hide handled"), "Assigned to me" and
 * test mode, kept in the URL so that a filtered feed can be
 * shared. On a phone they fold into one bar (search and a Filters sheet) so the feed starts near the
 * top; a filter that is on shows as a chip there, test mode in amber.
 */
export function FeedFilters({ filters }: { filters: Filters }) {
  const [query, setQuery] = useState(filters.q ?? '');
  const [sheet, setSheet] = useState(false);
  const searchId = useId();
  const phone = !useMedia('(min-width: 640px)');

  // What this box last put in the URL: a different q there came from elsewhere (Clear filters, a link).
  const pushed = useRef(filters.q ?? '');
  useEffect(() => {
    const q = filters.q ?? '';
    if (q !== pushed.current) {
      pushed.current = q;
      setQuery(q);
    }
  }, [filters.q]);
  useEffect(() => {
    if ((filters.q ?? '') === query.trim()) return;
    const timer = setTimeout(() => {
      pushed.current = query.trim();
      setSearchParams({ q: query.trim() });
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [query, filters.q]);

  const folded = [filters.category !== null, filters.test, filters.unhandled || filters.state !== null, filters.assignee !== null].filter(Boolean).length;
  const phoneChips = filters.test || filters.category !== null || filters.unhandled || filters.state !== null || filters.assignee !== null;

  return (
    <search className="flex flex-col gap-2">
      <div className="flex flex-wrap items-end gap-2">
        <div className="flex min-w-0 flex-1 flex-col">
          <label htmlFor={searchId} className="sr-only">
            {t('feed.filter.search')}
          </label>
          <input
            id={searchId}
            data-feed-search=""
            type="search"
            placeholder={t('feed.filter.search')}
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            className="min-h-11 rounded-lg border border-slate-300 bg-white px-3 text-base placeholder:text-slate-500 dark:border-slate-700 dark:bg-slate-900 dark:placeholder:text-slate-400"
          />
        </div>
        <button
          type="button"
          aria-haspopup="dialog"
          onClick={() => setSheet(true)}
          className={`flex min-h-11 items-center gap-1.5 rounded-lg px-3 text-sm font-medium ring-1 sm:hidden ${
            filters.test
              ? 'bg-amber-100 text-amber-900 ring-amber-300 dark:bg-amber-900/50 dark:text-amber-100 dark:ring-amber-700'
              : 'bg-white text-slate-700 ring-slate-300 dark:bg-slate-900 dark:text-slate-200 dark:ring-slate-700'
          }`}
        >
          {t('feed.filter.filters')}
          {folded > 0 && (
            <span className="rounded-full bg-slate-800 px-1.5 text-xs text-white dark:bg-slate-200 dark:text-slate-900">
              {folded}
              <span className="sr-only"> {t('feed.filter.on')}</span>
            </span>
          )}
        </button>
        {/* From 640 px the filters sit in the bar (loaded there: a phone has them in its sheet). */}
        {!phone && (
          <Suspense fallback={null}>
            <InlineFilters filters={filters} />
          </Suspense>
        )}
      </div>
      {(filters.user !== null || phoneChips) && (
        <div className="flex flex-wrap items-center gap-2">
          {filters.user !== null && <Chip label={t('feed.filter.userChip', { user: filters.user })} remove={() => setSearchParams({ user: null })} />}
          <span className="contents sm:hidden">
            {filters.test && <Chip tone="test" label={t('feed.filter.testChip')} remove={() => setSearchParams({ test: null })} />}
            {filters.category !== null && <Chip label={t('feed.filter.categoryChip', { category: filters.category })} remove={() => setSearchParams({ category: null })} />}
            {filters.state !== null && <Chip label={t('feed.filter.stateChip', { state: stateWord(filters.state) })} remove={() => setSearchParams({ state: null })} />}
            {filters.state === null && filters.unhandled && <Chip label={t('feed.notResolved')} remove={() => setSearchParams({ unhandled: null })} />}
            {filters.assignee !== null && <Chip label={t('feed.assignedToMe')} remove={() => setSearchParams({ assignee: null })} />}
          </span>
        </div>
      )}
      {sheet && (
        <Suspense fallback={null}>
          <FilterSheet filters={filters} onClose={() => setSheet(false)} />
        </Suspense>
      )}
    </search>
  );
}

import { useEffect, useId, useRef, useState } from 'react';
import { setSearchParams } from '../../lib/router.tsx';
import type { FeedFilters as Filters } from './api.ts';
import { useCategories } from './api.ts';

const SEARCH_DEBOUNCE_MS = 250;

/** Search, category and test mode, kept in the URL so that a filtered feed can be shared. */
export function FeedFilters({ filters }: { filters: Filters }) {
  const categories = useCategories(filters.project, filters.test);
  const [query, setQuery] = useState(filters.q ?? '');
  const searchId = useId();
  const categoryId = useId();

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
    const t = setTimeout(() => {
      pushed.current = query.trim();
      setSearchParams({ q: query.trim() });
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [query, filters.q]);

  const options = categories.data ?? [];
  const selectedMissing = filters.category !== null && !options.some((c) => c.category === filters.category);

  return (
    <search className="flex flex-wrap items-end gap-2">
      <div className="flex basis-full flex-col sm:basis-auto sm:flex-1">
        <label htmlFor={searchId} className="sr-only">
          Search events
        </label>
        <input
          id={searchId}
          type="search"
          placeholder="Search events"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          className="min-h-11 rounded-lg border border-slate-300 bg-white px-3 text-base dark:border-slate-700 dark:bg-slate-900"
        />
      </div>
      <div className="flex min-w-[9rem] flex-1 flex-col sm:flex-none">
        <label htmlFor={categoryId} className="sr-only">
          Category
        </label>
        <select
          id={categoryId}
          value={filters.category ?? ''}
          onChange={(e) => setSearchParams({ category: e.target.value })}
          className="min-h-11 w-full rounded-lg sm:max-w-48 border border-slate-300 bg-white px-2 text-sm dark:border-slate-700 dark:bg-slate-900"
        >
          <option value="">All categories</option>
          {selectedMissing && <option value={filters.category!}>{filters.category}</option>}
          {options.map((c) => (
            <option key={c.category} value={c.category}>
              {c.category} ({c.count})
            </option>
          ))}
        </select>
      </div>
      <button
        type="button"
        role="switch"
        aria-checked={filters.test}
        onClick={() => setSearchParams({ test: filters.test ? null : '1' })}
        className={`flex min-h-11 items-center gap-2 rounded-lg px-3 text-sm font-medium ring-1 ${
          filters.test
            ? 'bg-amber-100 text-amber-900 ring-amber-300 dark:bg-amber-900/50 dark:text-amber-100 dark:ring-amber-700'
            : 'bg-white text-slate-700 ring-slate-300 dark:bg-slate-900 dark:text-slate-200 dark:ring-slate-700'
        }`}
      >
        <span aria-hidden="true" className={`relative h-5 w-9 rounded-full transition-colors ${filters.test ? 'bg-amber-500' : 'bg-slate-300 dark:bg-slate-600'}`}>
          <span className={`absolute top-0.5 size-4 rounded-full bg-white transition-all ${filters.test ? 'left-4.5' : 'left-0.5'}`} />
        </span>
        Test mode
      </button>
      <button
        type="button"
        role="switch"
        aria-checked={filters.unhandled}
        onClick={() => setSearchParams({ unhandled: filters.unhandled ? null : '1' })}
        className="flex min-h-11 items-center gap-2 rounded-lg bg-white px-3 text-sm font-medium text-slate-700 ring-1 ring-slate-300 dark:bg-slate-900 dark:text-slate-200 dark:ring-slate-700"
      >
        <span aria-hidden="true" className={`relative h-5 w-9 rounded-full transition-colors ${filters.unhandled ? 'bg-sky-700 dark:bg-sky-400' : 'bg-slate-300 dark:bg-slate-600'}`}>
          <span className={`absolute top-0.5 size-4 rounded-full bg-white transition-all ${filters.unhandled ? 'left-4.5' : 'left-0.5'}`} />
        </span>
        Hide handled
      </button>
    </search>
  );
}

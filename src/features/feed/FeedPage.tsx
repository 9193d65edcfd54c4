import { Suspense, useCallback, useDeferredValue, useMemo, useState } from 'react';
import { lazyRetry } from '../../lib/lazy.ts';
import { Alert, Button } from '../../components/ui.tsx';
import { setSearchParams, useLocation } from '../../lib/router.tsx';
import { ALL_PROJECTS, useProjectSlug } from '../projects/current.ts';
import type { EventDto } from '../../../contract/api.ts';
import { filtersFromSearch, isFiltered, useFeed } from './api.ts';
import { EventList } from './EventList.tsx';
import { FeedFilters } from './FeedFilters.tsx';
import { NewEventsPill } from './NewEventsPill.tsx';
import { useLastLooked } from './seen.ts';
import { FirstRunEntry } from '../onboarding/FirstRunEntry.tsx';
import { useWide } from '../../lib/useMedia.ts';
import { FrozenBanner } from '../policy/FrozenBanner.tsx';
import { t } from '../../i18n/i18n.ts';
import { rich } from '../../i18n/rich.tsx';

/** The first run's snippets: only a feed without events needs them. */
const EmptyState = lazyRetry(() => import('./EmptyState.tsx').then((m) => ({ default: m.EmptyState })));

const NO_EVENTS: EventDto[] = [];
/** The first feed since the app opened. */
let opening = true;

/** A project's feed, or with `project={ALL_PROJECTS}` the All projects feed. */
export function FeedPage({ project: fixed }: { project?: string } = {}) {
  const { search } = useLocation();
  const current = useProjectSlug();
  const project = fixed ?? current;
  const all = project === ALL_PROJECTS;
  const wide = useWide();
  const filters = useMemo(() => filtersFromSearch(project, search), [project, search]);
  const feed = useFeed(filters);
  const lastLooked = useLastLooked(project);
  const events = useMemo(() => feed.data?.pages.flatMap((p) => p.events) ?? [], [feed.data]);
  // The list renders in a transition: the first page's cards are built in slices the browser can
  // interrupt, not in one long task (the query's update itself is synchronous) — also when the app
  // opens on a page fetched before the feed mounted (firstRequests.ts): it starts from no cards, then
  // fills. Not when the feed comes back from an event's page: its cards are there at once (Esc puts
  // focus back on the card it came from).
  const [initial] = useState(() => {
    const first = opening ? NO_EVENTS : undefined;
    opening = false;
    return first;
  });
  const listed = useDeferredValue(events, initial);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = feed;
  const loadMore = useCallback(() => void fetchNextPage(), [fetchNextPage]);
  const filtered = isFiltered(filters);

  return (
    <div className="flex flex-col gap-2 sm:gap-3">
      <h1 className={all ? 'sr-only text-lg font-semibold sm:not-sr-only' : 'sr-only'}>{all ? t('feed.title.all') : filters.test ? t('feed.title.test') : t('feed.title.events')}</h1>
      {!all && <FrozenBanner slug={project} />}
      {/* On a desktop the checklist waits in the pane beside the feed (Workspace), keeping the desk's rows. */}
      {!all && !wide && !feed.isPending && <FirstRunEntry hasEvents={events.length > 0} />}
      <FeedFilters filters={filters} />
      {filters.test && (
        <p className="hidden rounded-lg bg-amber-50 px-3 py-2 text-sm sm:block text-amber-900 ring-1 ring-amber-200 dark:bg-amber-950/50 dark:text-amber-100 dark:ring-amber-900">
          {rich('feed.testMode.banner', { code: <code dir="ltr">"test": true</code> })}
        </p>
      )}
      <NewEventsPill />
      {feed.isPending ? (
        <p className="py-10 text-center text-sm text-slate-500" aria-live="polite">
          {t('feed.loadingEvents')}
        </p>
      ) : feed.isError && events.length === 0 ? (
        <Alert>
          {t('feed.loadFailed', { message: feed.error.message })}{' '}
          <Button onClick={() => void feed.refetch()} className="ms-2">
            {t('feed.tryAgain')}
          </Button>
        </Alert>
      ) : events.length === 0 ? (
        filtered ? (
          <div className="flex flex-col items-center gap-3 py-10 text-center text-sm text-slate-700 dark:text-slate-300">
            <p>{t('feed.noMatch')}</p>
            <Button onClick={() => setSearchParams({ q: null, category: null, unhandled: null, user: null, state: null, assignee: null })}>{t('feed.clearFilters')}</Button>
          </div>
        ) : (
          all ? (
            <p className="py-10 text-center text-sm text-slate-700 dark:text-slate-300">{t('feed.noEventsAll')}</p>
          ) : (
            <Suspense fallback={null}>
              <EmptyState test={filters.test} />
            </Suspense>
          )
        )
      ) : (
        <EventList crossProject={all} events={listed} hasMore={hasNextPage} loadingMore={isFetchingNextPage} loadMore={loadMore} lastLooked={lastLooked} />
      )}
    </div>
  );
}

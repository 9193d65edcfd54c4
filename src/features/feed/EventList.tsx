import { useWindowVirtualizer } from '@tanstack/react-virtual';
import { useContext, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { EventDto } from '../../../contract/api.ts';
import { dayLabel } from '../../lib/time.ts';
import { useNow } from '../../lib/useNow.ts';
import { withDaySeparators } from './daySeparators.ts';
import { useCompact } from './density.ts';
import { EventCard } from './EventCard.tsx';
import { DeskRow } from './deskRow.ts';
import { ProjectScope } from '../projects/current.ts';
import { useWide } from '../../lib/useMedia.ts';
import { t } from '../../i18n/i18n.ts';

interface EventListProps {
  events: EventDto[];
  hasMore: boolean;
  loadingMore: boolean;
  loadMore: () => void;
  /** When the person last looked before this visit: the "new since" divider goes there. */
  lastLooked: number | null;
  /** The All projects feed: each event is shown in its own project, labelled with it. */
  crossProject?: boolean;
}

/** The feed: a virtualised list over the window's scroll, so thousands of events keep the DOM small. */
export function EventList({ events, hasMore, loadingMore, loadMore, lastLooked, crossProject = false }: EventListProps) {
  const now = useNow();
  const rows = useMemo(() => withDaySeparators(events, lastLooked), [events, lastLooked]);
  const listRef = useRef<HTMLElement>(null);
  const [scrollMargin, setScrollMargin] = useState(0);
  // The list's distance from the page's top moves when the bar above it grows (a filter chip, a banner).
  useLayoutEffect(() => {
    const top = listRef.current?.offsetTop ?? 0;
    if (top !== scrollMargin) setScrollMargin(top);
  });

  const compact = useCompact();
  // From 1024 px, compact is the triage desk: one line an event, the full event in the pane beside.
  const wide = useWide();
  const Row = useContext(DeskRow);
  const desk = compact && wide && Row !== null;
  const virtualizer = useWindowVirtualizer({
    count: rows.length,
    estimateSize: (i) => (rows[i]?.kind === 'event' ? (desk ? 56 : compact ? 72 : 132) : 32),
    overscan: 6,
    scrollMargin,
    getItemKey: (i) => rows[i]?.key ?? i,
  });
  // Sizes measured in the other density are wrong now: measure again (only on a change, not on mount,
  // where it would lay the whole list out twice).
  const layout = desk ? 'desk' : compact ? 'compact' : 'comfortable';
  const measuredFor = useRef(layout);
  useEffect(() => {
    if (measuredFor.current === layout) return;
    measuredFor.current = layout;
    virtualizer.measure();
  }, [layout, virtualizer]);
  const items = virtualizer.getVirtualItems();
  const lastIndex = items[items.length - 1]?.index ?? 0;

  useEffect(() => {
    if (hasMore && !loadingMore && lastIndex >= rows.length - 8) loadMore();
  }, [hasMore, loadingMore, lastIndex, rows.length, loadMore]);

  return (
    <div>
      {/* A region, not role="feed": its day headings may not sit among a feed's articles. */}
      <section ref={listRef} aria-busy={loadingMore} aria-label={t('feed.title.events')} className="relative" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item) => {
          const row = rows[item.index]!;
          return (
            <div
              key={item.key}
              data-index={item.index}
              ref={virtualizer.measureElement}
              className={`absolute start-0 top-0 w-full ${desk ? 'pb-1' : compact ? 'pb-2' : 'pb-3'}`}
              style={{ transform: `translateY(${item.start - virtualizer.options.scrollMargin}px)` }}
            >
              {row.kind === 'seen' ? (
                <h2 className="flex items-center gap-2 pt-1 text-xs font-semibold text-sky-800 dark:text-sky-300">
                  <span aria-hidden="true" className="h-px flex-1 bg-sky-300 dark:bg-sky-700" />
                  {t('feed.list.seen')}
                  <span aria-hidden="true" className="h-px flex-1 bg-sky-300 dark:bg-sky-700" />
                </h2>
              ) : row.kind === 'day' ? (
                <h2 className="px-1 pt-1 text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">
                  {dayLabel(row.at, now)}
                </h2>
              ) : (
                <ProjectScope value={crossProject ? (row.event.project ?? null) : null}>
                  {/* A later event a search found keeps its thread's card around it, on the desk too. */}
                  {Row && desk && !row.event.opener ? <Row event={row.event} /> : <EventCard event={row.event} />}
                </ProjectScope>
              )}
            </div>
          );
        })}
      </section>
      <p className="py-6 text-center text-sm text-slate-500 dark:text-slate-400" aria-live="polite">
        {loadingMore ? t('feed.list.loadingMore') : hasMore ? '' : events.length > 0 ? t('feed.list.noOlder') : ''}
      </p>
    </div>
  );
}

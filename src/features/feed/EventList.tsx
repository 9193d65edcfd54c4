import { type ComponentType, useCallback, useContext, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { EventDto } from '../../../contract/api.ts';
import { t } from '../../i18n/i18n.ts';
import { withTexts } from '../../lib/lazy.ts';
import { useWide } from '../../lib/useMedia.ts';
import { useNow } from '../../lib/useNow.ts';
import { type ListRow, withDaySeparators } from './daySeparators.ts';
import { useCompact } from './density.ts';
import { DeskRow } from './deskRow.ts';
import { estimatedHeight, RowView, rowGap } from './RowView.tsx';
import type { RowsLayout, VirtualLayoutProps } from './VirtualRows.tsx';

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

/**
 * Rows drawn before the virtual list takes over: what fills the window and a quarter more by their
 * estimated heights (the estimates are low, so more than a screen), 18 at most (a 900 px desk) —
 * a phone's first screen draws eight cards, not eighteen.
 */
function plainRowCount(rows: readonly ListRow[], desk: boolean, compact: boolean): number {
  const fill = (typeof window === 'undefined' ? 900 : window.innerHeight) * 1.25;
  let height = 0;
  let count = 0;
  while (count < rows.length && count < 18 && height < fill) height += estimatedHeight(rows[count++], desk, compact);
  return count;
}
/** How the person goes past the first screen: the virtual list loads then. */
const GOING_FURTHER = ['scroll', 'wheel', 'touchmove', 'keydown'] as const;
/** The virtualiser, once loaded (a feed opened again uses it at once). */
let loadedLayout: ComponentType<VirtualLayoutProps> | null = null;

/**
 * The feed. Its first screen is drawn plainly (the rest of the list is room to scroll into); at the
 * first scroll, wheel, swipe or key the window virtualiser (VirtualRows.tsx, with its library) loads
 * and places the rows from then on, so thousands of events keep the DOM small — and a first screen
 * never downloads it. The rows are the same elements either way.
 */
export function EventList({ events, hasMore, loadingMore, loadMore, lastLooked, crossProject = false }: EventListProps) {
  const now = useNow();
  const rows = useMemo(() => withDaySeparators(events, lastLooked), [events, lastLooked]);
  const listRef = useRef<HTMLElement>(null);
  const [scrollMargin, setScrollMargin] = useState(0);
  const [Layout, setLayoutComponent] = useState<ComponentType<VirtualLayoutProps> | null>(() => loadedLayout);
  // The list's distance from the page's top moves when the bar above it grows (a filter chip, a banner).
  // Only the virtual list needs it: the plain first screen reads no layout while it draws.
  useLayoutEffect(() => {
    if (!Layout) return;
    const top = listRef.current?.offsetTop ?? 0;
    if (top !== scrollMargin) setScrollMargin(top);
  });

  const compact = useCompact();
  // From 1024 px, compact is the triage desk: one line an event, the full event in the pane beside.
  const wide = useWide();
  const Row = useContext(DeskRow);
  const desk = compact && wide && Row !== null;

  // The plain rows' heights, so the virtual list starts where they are.
  const drawn = useRef(new Map<string, number>());
  useEffect(() => {
    if (Layout) return;
    let asked = false;
    const load = () => {
      if (asked) return;
      asked = true;
      for (const e of GOING_FURTHER) window.removeEventListener(e, load);
      void withTexts(() => import('./VirtualRows.tsx')).then((m) => {
        // Measured now, not as they were drawn: reading layout while the first screen drew cost it a
        // layout of its own.
        const list = listRef.current;
        for (const el of list?.querySelectorAll<HTMLElement>(':scope > [data-key]') ?? []) drawn.current.set(el.dataset.key!, el.getBoundingClientRect().height);
        if (list) setScrollMargin(list.offsetTop);
        loadedLayout = m.VirtualLayout;
        setLayoutComponent(() => m.VirtualLayout);
      });
    };
    for (const e of GOING_FURTHER) window.addEventListener(e, load, { passive: true });
    return () => {
      for (const e of GOING_FURTHER) window.removeEventListener(e, load);
    };
  }, [Layout]);

  const [layout, setLayout] = useState<RowsLayout | null>(null);
  const keyOf = useCallback((i: number) => rows[i]?.key ?? String(i), [rows]);
  const estimate = useCallback((i: number) => drawn.current.get(rows[i]?.key ?? '') ?? estimatedHeight(rows[i], desk, compact), [rows, desk, compact]);

  const plain = plainRowCount(rows, desk, compact);
  const shown = layout
    ? layout.items.filter((item) => item.index < rows.length)
    : rows.slice(0, plain).map((_, index) => ({ index, start: null as number | null }));
  const shownLast = shown[shown.length - 1]?.index ?? -1;
  useEffect(() => {
    // Not while the list is still empty (FeedPage hands the first page over in a transition).
    if (rows.length > 0 && hasMore && !loadingMore && shownLast >= rows.length - 8) loadMore();
  }, [hasMore, loadingMore, shownLast, rows.length, loadMore]);

  const rest = layout ? 0 : rows.slice(plain).reduce((sum, row) => sum + estimatedHeight(row, desk, compact), 0);
  return (
    <div>
      {/* A region, not role="feed": its day headings may not sit among a feed's articles. */}
      <section ref={listRef} aria-busy={loadingMore} aria-label={t('feed.title.events')} className="relative" style={{ height: layout ? layout.total : undefined }}>
        {shown.map(({ index, start }) => {
          const row = rows[index]!;
          return (
            <div
              key={row.key}
              data-key={row.key}
              data-index={index}
              ref={layout ? layout.measure : undefined}
              className={`${start === null ? '' : 'absolute start-0 top-0 w-full'} ${rowGap(desk, compact)}`}
              style={start === null ? undefined : { transform: `translateY(${start}px)` }}
            >
              <RowView row={row} now={now} desk={desk} crossProject={crossProject} />
            </div>
          );
        })}
        {rest > 0 && <div aria-hidden="true" style={{ height: rest }} />}
      </section>
      {Layout && (
        <Layout count={rows.length} keyOf={keyOf} estimate={estimate} scrollMargin={scrollMargin} layoutName={desk ? 'desk' : compact ? 'compact' : 'comfortable'} onLayout={setLayout} />
      )}
      <p className="py-6 text-center text-sm text-slate-500 dark:text-slate-400" aria-live="polite">
        {loadingMore ? t('feed.list.loadingMore') : hasMore ? '' : events.length > 0 ? t('feed.list.noOlder') : ''}
      </p>
    </div>
  );
}

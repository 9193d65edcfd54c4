import { Fragment, useId } from 'react';
import type { EventDto, EventSummary } from '../../../contract/api.ts';
import { Link } from '../../lib/router.tsx';
import { useWide } from '../../lib/useMedia.ts';
import { useProjectSlug } from '../projects/current.ts';
import { Avatar } from './Avatar.tsx';
import { useFeedLinks } from './useFeedLinks.ts';
import { RelativeTime } from './RelativeTime.tsx';
import { useSeenSince } from './seen.ts';
import { createStore, useStore } from '../../lib/store.ts';
import { useEvent } from './api.ts';
import { t } from '../../i18n/i18n.ts';

/** Threads opened in the feed, by the id of the event that opened them: kept while a card scrolls out of the virtual list. */
const openThreads = createStore<ReadonlySet<string>>(new Set());

function toggleThread(id: string): void {
  const next = new Set(openThreads.get());
  if (!next.delete(id)) next.add(id);
  openThreads.set(next);
}

/**
 * A collapsed thread's newest event: its avatar, name and time, and "New" when it came after the
 * person last looked. The thread's card stays where it is in the feed (the feed is ordered by when
 * things began; a card that jumped to the top would move under a thumb about to press a button).
 */
function LatestInThread({ latest }: { latest: EventSummary }) {
  const slug = useProjectSlug();
  const links = useFeedLinks();
  const wide = useWide();
  const since = useSeenSince(slug);
  const fresh = since !== null && Date.parse(latest.createdAt) > since;
  return (
    <div className="group/when flex min-h-11 items-center gap-2 text-sm">
      <span className="text-xs text-slate-600 dark:text-slate-400">{t('feed.latest')}</span>
      <Avatar value={latest.avatar} size="sm" />
      <Link href={links.event(latest.id)} scroll={!wide} className="min-w-0 flex-1 truncate font-medium hover:underline">
        {latest.name ?? t('feed.untitled')}
      </Link>
      {fresh && <span className="shrink-0 rounded-md bg-sky-100 px-1.5 py-0.5 text-xs font-semibold text-sky-900 dark:bg-sky-900/60 dark:text-sky-100">{t('feed.new')}</span>}
      <RelativeTime iso={latest.createdAt} />
    </div>
  );
}

/** Whether a thread is open, and the one control that opens or closes it. */
export function useThread(parent: EventDto, initiallyOpen: boolean) {
  // On the event page a thread starts open: there the set records the ones closed.
  const key = initiallyOpen ? `page:${parent.id}` : parent.id;
  const open = useStore(openThreads).has(key) !== initiallyOpen;
  const regionId = useId();
  return { open, regionId, toggle: () => toggleThread(key) };
}

type Thread = ReturnType<typeof useThread>;

/** "▸ 2 events in this thread" / "Hide thread (2)". */
export function ThreadToggle({ parent, thread }: { parent: EventDto; thread: Thread }) {
  const count = parent.threadCount;
  return (
    <button
      type="button"
      aria-expanded={thread.open}
      aria-controls={thread.regionId}
      onClick={thread.toggle}
      className="flex min-h-11 shrink-0 items-center gap-1 text-sm font-medium text-sky-700 hover:underline dark:text-sky-400"
    >
      <span aria-hidden="true" className={`inline-block transition-transform ${thread.open ? 'rotate-90' : 'rtl:rotate-180'}`}>
        ▸
      </span>
      {thread.open ? (count > 0 ? t('feed.thread.hideCount', { count }) : t('feed.thread.hide')) : t('feed.thread.count', { count })}
    </button>
  );
}

/** How a thread's later event is drawn (a card: given by the card itself, so the two modules do not import each other). */
export type RenderThreadChild = (child: EventDto, parent: EventDto) => React.ReactNode;

/** The thread's later events, loaded when it opens. */
export function ThreadEvents({ parent, thread, renderChild }: { parent: EventDto; thread: Thread; renderChild: RenderThreadChild }) {
  const detail = useEvent(parent.id, thread.open);
  return (
    <div id={thread.regionId} hidden={!thread.open} className="divide-y divide-slate-100 dark:divide-slate-800">
      {thread.open && detail.isPending && <p className="py-2 text-sm text-slate-500">{t('feed.thread.loading')}</p>}
      {thread.open && detail.isError && <p className="py-2 text-sm text-red-700 dark:text-red-400">{t('feed.thread.failed', { message: detail.error.message })}</p>}
      {thread.open && detail.data?.thread.map((child) => <Fragment key={child.id}>{renderChild(child, parent)}</Fragment>)}
    </div>
  );
}

/** The later events of a thread, under the event that opened it; collapsed with a count and its newest event. */
export function ThreadSection({ parent, initiallyOpen, renderChild }: { parent: EventDto; initiallyOpen: boolean; renderChild: RenderThreadChild }) {
  const thread = useThread(parent, initiallyOpen);
  return (
    <section aria-label={parent.name === null ? t('feed.thread.ofThis') : t('feed.thread.of', { name: parent.name })} className="border-s-2 border-slate-200 ps-3 dark:border-slate-700">
      <ThreadToggle parent={parent} thread={thread} />
      {!thread.open && parent.latest && <LatestInThread latest={parent.latest} />}
      <ThreadEvents parent={parent} thread={thread} renderChild={renderChild} />
    </section>
  );
}

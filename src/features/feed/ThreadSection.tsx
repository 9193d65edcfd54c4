import { useId } from 'react';
import type { EventDto } from '../../../contract/api.ts';
import { createStore, useStore } from '../../lib/store.ts';
import { useEvent } from './api.ts';
import { EventCard } from './EventCard.tsx';

/** Threads opened in the feed, by the id of the event that opened them: kept while a card scrolls out of the virtual list. */
const openThreads = createStore<ReadonlySet<string>>(new Set());

function toggleThread(id: string): void {
  const next = new Set(openThreads.get());
  if (!next.delete(id)) next.add(id);
  openThreads.set(next);
}

/** The later events of a thread, under the event that opened it; collapsed with a count. */
export function ThreadSection({ parent, initiallyOpen }: { parent: EventDto; initiallyOpen: boolean }) {
  // On the event page a thread starts open: there the set records the ones closed.
  const key = initiallyOpen ? `page:${parent.id}` : parent.id;
  const open = useStore(openThreads).has(key) !== initiallyOpen;
  const regionId = useId();
  const detail = useEvent(parent.id, open);
  const count = parent.threadCount;
  const label = `${count} ${count === 1 ? 'event' : 'events'} in this thread`;
  return (
    <section aria-label={`Thread of ${parent.name ?? 'this event'}`} className="border-l-2 border-slate-200 pl-3 dark:border-slate-700">
      <button
        type="button"
        aria-expanded={open}
        aria-controls={regionId}
        onClick={() => toggleThread(key)}
        className="flex min-h-11 items-center gap-1 text-sm font-medium text-sky-700 hover:underline dark:text-sky-400"
      >
        <span aria-hidden="true" className={`inline-block transition-transform ${open ? 'rotate-90' : ''}`}>
          ▸
        </span>
        {open ? `Hide thread (${count})` : label}
      </button>
      <div id={regionId} hidden={!open} className="divide-y divide-slate-100 dark:divide-slate-800">
        {open && detail.isPending && <p className="py-2 text-sm text-slate-500">Loading thread…</p>}
        {open && detail.isError && <p className="py-2 text-sm text-red-700 dark:text-red-400">Could not load the thread: {detail.error.message}</p>}
        {open && detail.data?.thread.map((child) => <EventCard key={child.id} event={child} threadStart={parent} />)}
      </div>
    </section>
  );
}

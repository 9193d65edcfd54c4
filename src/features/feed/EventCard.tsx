import { useId } from 'react';
import type { EventDto } from '../../../contract/api.ts';
import { eventTitle } from '../../../contract/present.ts';
import { ActionBar } from '../actions/ActionBar.tsx';
import { Link } from '../../lib/router.tsx';
import { Avatar } from './Avatar.tsx';
import { EventContent } from './content/EventContent.tsx';
import { sinceStart } from '../../lib/time.ts';
import { RelativeTime } from './RelativeTime.tsx';
import { ThreadSection } from './ThreadSection.tsx';

interface EventCardProps {
  event: EventDto;
  /** For a thread's later event, shown under it: the event that opened the thread. */
  threadStart?: EventDto;
  /** On the event page: JSON open, thread open. */
  detailed?: boolean;
}

function Badge({ children, tone = 'neutral' }: { children: React.ReactNode; tone?: 'neutral' | 'test' }) {
  const tones = {
    neutral: 'bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300',
    test: 'bg-amber-100 text-amber-800 dark:bg-amber-900/60 dark:text-amber-200',
  };
  return <span className={`inline-flex items-center rounded-md px-1.5 py-0.5 text-xs font-medium ${tones[tone]}`}>{children}</span>;
}

export function EventCard({ event, threadStart, detailed = false }: EventCardProps) {
  const nested = threadStart !== undefined;
  // A later event repeats neither its thread's category nor the clock: it says how long after the start it came.
  const category = event.category !== threadStart?.category ? event.category : null;
  const titleId = useId();
  const title = eventTitle(event);
  return (
    <article
      aria-labelledby={titleId}
      className={
        nested
          ? 'flex gap-3 py-3'
          : 'flex gap-3 rounded-xl border border-slate-200 bg-white p-3 shadow-sm sm:gap-4 sm:p-4 dark:border-slate-800 dark:bg-slate-900'
      }
    >
      <Avatar value={event.avatar} size={nested ? 'sm' : 'lg'} />
      <div className="flex min-w-0 flex-1 flex-col gap-2">
        <header className="group/when flex items-start gap-2">
          <h3 id={titleId} className={`min-w-0 flex-1 break-words font-semibold leading-snug ${nested ? 'text-sm' : 'text-base'}`}>
            {detailed ? title : (
              <Link href={`/events/${encodeURIComponent(event.id)}`} className="hover:underline">
                {title}
              </Link>
            )}
          </h3>
          {threadStart && (
            <span className="shrink-0 whitespace-nowrap text-xs text-slate-600 tabular-nums dark:text-slate-400">
              {sinceStart(Date.parse(event.createdAt), Date.parse(threadStart.createdAt))}
            </span>
          )}
          <RelativeTime iso={event.createdAt} showAbsolute={detailed} />
        </header>
        {(category || event.test || event.userId) && (
          <div className="flex flex-wrap items-center gap-1.5">
            {event.test && <Badge tone="test">Test</Badge>}
            {category && <Badge>{category}</Badge>}
            {event.userId && <span className="text-xs text-slate-600 dark:text-slate-400">user {event.userId}</span>}
          </div>
        )}
        <EventContent event={event} expanded={detailed} />
        <ActionBar event={event} />
        {!nested && event.contextStart && (event.threadCount > 0 || detailed) && (
          <ThreadSection parent={event} initiallyOpen={detailed} />
        )}
      </div>
    </article>
  );
}

import type { EventDetail } from '../../../contract/api.ts';
import { CopyButton } from '../../components/CopyButton.tsx';
import { Link, useLocation } from '../../lib/router.tsx';
import { absoluteTime, relativeTime } from '../../lib/time.ts';
import { useNow } from '../../lib/useNow.ts';
import { useProjectSlug } from '../projects/current.ts';
import { feedHref } from './links.ts';
import { plural } from '../../lib/words.ts';

const linkClass = 'font-medium text-sky-800 underline underline-offset-2 hover:no-underline dark:text-sky-300';

function Row({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-[7rem_minmax(0,1fr)] items-baseline gap-2 py-1.5">
      <dt className="text-slate-600 dark:text-slate-400">{term}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </div>
  );
}

/** Every field an event came with, its time to the second, and where it came from. */
export function EventDetails({ detail }: { detail: EventDetail }) {
  const { event, sentBy } = detail;
  const now = useNow();
  const slug = useProjectSlug();
  const { search } = useLocation();
  const at = Date.parse(event.createdAt);
  return (
    <section aria-labelledby="details-title" className="rounded-xl border border-slate-200 bg-white px-4 py-3 dark:border-slate-800 dark:bg-slate-900">
      <h2 id="details-title" className="text-base font-semibold">
        Details
      </h2>
      <dl className="divide-y divide-slate-100 text-sm dark:divide-slate-800">
        <Row term="Time">
          <time dateTime={event.createdAt}>{absoluteTime(at)}</time>{' '}
          <span className="text-slate-600 dark:text-slate-400">({relativeTime(at, now)})</span>
        </Row>
        <Row term="ID">
          <span className="flex items-center gap-1">
            <code className="min-w-0 break-all font-mono text-xs">{event.id}</code>
            <CopyButton text={event.id} what="event ID" />
          </span>
        </Row>
        <Row term="Category">
          {event.category ? (
            <Link href={feedHref(slug, search, { category: event.category, q: null, user: null })} className={linkClass} aria-label={`Category ${event.category}: show its events`}>
              {event.category}
            </Link>
          ) : (
            <span className="text-slate-600 dark:text-slate-400">none</span>
          )}
        </Row>
        <Row term="User">
          {event.userId ? (
            <Link href={feedHref(slug, search, { user: event.userId, q: null, category: null })} className={linkClass} aria-label={`User ${event.userId}: show their events`}>
              {event.userId}
            </Link>
          ) : (
            <span className="text-slate-600 dark:text-slate-400">none</span>
          )}
        </Row>
        <Row term="Context">
          {event.contextId ? (
            <span>
              <code className="break-all font-mono text-xs">{event.contextId}</code>
              {event.contextStart ? ' (opens its thread)' : event.parentId ? ' (in a thread)' : ' (its thread has not started)'}
            </span>
          ) : (
            <span className="text-slate-600 dark:text-slate-400">none</span>
          )}
        </Row>
        {event.dedupKey && (
          <Row term="Dedup key">
            <span>
              <code className="break-all font-mono text-xs">{event.dedupKey}</code>
              <span className="text-slate-600 dark:text-slate-400">
                {' '}
                ({plural(event.count, 'time', 'times')}, last {relativeTime(Date.parse(event.lastSeenAt), now)})
              </span>
            </span>
          </Row>
        )}
        <Row term="Sent by">
          {sentBy ? (
            <span>
              API key “{sentBy.name}”{sentBy.revoked && <span className="text-slate-600 dark:text-slate-400"> (revoked since)</span>}
            </span>
          ) : (
            <span className="text-slate-600 dark:text-slate-400">no key recorded (imported)</span>
          )}
        </Row>
        <Row term="Mode">
          {event.test
            ? 'Test event (never pushed)'
            : event.notify
              ? detail.pushedTo > 0
                ? `Live, sent to ${plural(detail.pushedTo, 'person', 'people')}`
                : 'Live, pushed to the team (no device has taken it yet)'
              : 'Live, not pushed (notify was off)'}
        </Row>
      </dl>
    </section>
  );
}

import { useId } from 'react';
import type { EventDto } from '../../../contract/api.ts';
import { contentPreview, eventTitle } from './present.ts';
import { ActionBar } from '../actions/ActionBar.tsx';
import { Link } from '../../lib/router.tsx';
import { useOpenEventId, useScopedProject } from '../projects/current.ts';
import { ProjectLabel } from '../projects/ProjectLabel.tsx';
import { Avatar } from './Avatar.tsx';
import { Badge } from './Badge.tsx';
import { Highlighted } from './Highlighted.tsx';
import { useFeedLinks } from './useFeedLinks.ts';
import { RelativeTime } from './RelativeTime.tsx';
import { relativeTime } from '../../lib/time.ts';
import { useNow } from '../../lib/useNow.ts';
import { type RenderThreadChild, ThreadEvents, ThreadToggle, useThread } from './ThreadSection.tsx';
import { EventCard } from './EventCard.tsx';
import { AnswerBadge } from '../decisions/Answer.tsx';
import { AssigneeChip, RepeatCount, SnoozeMark, StateBadge, UrgentMark } from './triage/TriageMarks.tsx';
import { t } from '../../i18n/i18n.ts';
import { rich } from '../../i18n/rich.tsx';

const threadChild: RenderThreadChild = (child, parent) => <EventCard event={child} threadStart={parent} />;

/** The key values after the name: the thread's newest event for a thread, else the start of the content. */
function KeyValues({ event }: { event: EventDto }) {
  const now = useNow();
  const links = useFeedLinks();
  if (event.contextStart && event.latest) {
    return (
      <span className="min-w-0 flex-1 truncate text-xs text-slate-600 dark:text-slate-400">
        {rich(
          'feed.latestIn',
          {
            name: (
              <Link href={links.event(event.latest.id)} scroll={false} className="text-sm font-medium text-slate-800 hover:underline dark:text-slate-200">
                {event.latest.name ?? t('feed.untitled')}
              </Link>
            ),
          },
          { time: relativeTime(Date.parse(event.latest.createdAt), now) },
        )}
      </span>
    );
  }
  const preview = event.name === null ? '' : contentPreview(event, 160);
  // In its own room (a container): shown from 3rem, never a one-letter sliver beside the badges.
  return (
    <span className="@container/kv hidden min-w-0 flex-1 @min-[22rem]:block">
      <span dir="auto" className="hidden truncate text-sm text-slate-600 @min-[3rem]/kv:block dark:text-slate-400">
        <Highlighted text={preview} />
      </span>
    </span>
  );
}

/**
 * The triage desk's row (compact, from 1024 px): one line an event — avatar, name, category and user,
 * its state (§12: urgent, `×10`, `Acknowledged · Ana`, the assignee's initials), key values, time, and
 * the actions' state with their buttons — while the full event opens in the pane beside the feed, with
 * the buttons that change its state (and `a` / `e` on the keyboard). A resolved event's row is
 * settled: quieter, marked, its buttons quiet.
 */
export function EventRow({ event }: { event: EventDto }) {
  const links = useFeedLinks();
  const titleId = useId();
  const scoped = useScopedProject();
  const current = useOpenEventId() === event.id;
  const thread = useThread(event, false);
  const threaded = event.contextStart && event.threadCount > 0;
  return (
    <article
      aria-labelledby={titleId}
      tabIndex={-1}
      data-event-id={event.id}
      data-project={scoped ?? undefined}
      data-state={event.state}
      className={`flex flex-col rounded-lg border px-3 py-0.5 outline-offset-2 focus:outline-2 focus:outline-sky-600 ${
        event.handled ? 'border-slate-200 bg-slate-50 dark:border-slate-800 dark:bg-slate-900/40' : 'border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900'
      } ${current ? 'ring-2 ring-sky-600 dark:ring-sky-400' : ''}`}
    >
      <div className="group/when flex min-h-11 flex-wrap items-center justify-end gap-x-3 gap-y-1">
        <div className="@container flex min-w-0 flex-1 basis-[10rem] items-center gap-2 overflow-hidden">
          <Avatar value={event.avatar} size="sm" />
          <ProjectLabel />
          <UrgentMark event={event} />
          <h3 id={titleId} dir="auto" className={`min-w-0 max-w-[60%] shrink-0 truncate text-sm font-semibold ${event.handled ? 'text-slate-600 dark:text-slate-400' : ''}`}>
            <Link href={links.event(event.id)} scroll={false} aria-current={current ? 'true' : undefined} className="hover:underline">
              <Highlighted text={eventTitle(event)} />
            </Link>
          </h3>
          <RepeatCount event={event} />
          <AnswerBadge event={event} expiredOnly />
          {event.test && (
            <Badge tone="test" className="shrink-0">
              {t('feed.badge.test')}
            </Badge>
          )}
          {event.category && <Badge className="min-w-8 shrink truncate">{event.category}</Badge>}
          {event.userId && <span className="min-w-0 shrink truncate text-xs text-slate-600 dark:text-slate-400">{t('feed.badge.user', { id: event.userId })}</span>}
          <SnoozeMark event={event} />
          <StateBadge event={event} className="max-w-[12rem]" />
          <AssigneeChip event={event} brief />
          <KeyValues event={event} />
        </div>
        {threaded && <ThreadToggle parent={event} thread={thread} />}
        <ActionBar event={event} row />
        <span className="w-20 shrink-0 text-end">
          <RelativeTime iso={event.createdAt} />
        </span>
      </div>
      {threaded && (
        <section hidden={!thread.open} aria-label={event.name === null ? t('feed.thread.ofThis') : t('feed.thread.of', { name: event.name })} className="mb-1 ms-10 border-s-2 border-slate-200 ps-3 dark:border-slate-700">
          <ThreadEvents parent={event} thread={thread} renderChild={threadChild} />
        </section>
      )}
    </article>
  );
}

import { useId } from 'react';
import { ThreadContext } from './ThreadContext.tsx';
import type { EventDto } from '../../../contract/api.ts';
import { contentPreview, eventTitle } from './present.ts';
import { ActionBar } from '../actions/ActionBar.tsx';
import { Link } from '../../lib/router.tsx';
import { useWide } from '../../lib/useMedia.ts';
import { useFeedLinks } from './useFeedLinks.ts';
import { Avatar } from './Avatar.tsx';
import { EventContent } from './content/EventContent.tsx';
import { sinceStart } from '../../lib/time.ts';
import { Highlighted } from './Highlighted.tsx';
import { RelativeTime } from './RelativeTime.tsx';
import { useCompact } from './density.ts';
import { type RenderThreadChild, ThreadSection } from './ThreadSection.tsx';
import { useOpenEventId, useScopedProject } from '../projects/current.ts';
import { ProjectLabel } from '../projects/ProjectLabel.tsx';
import { TriageMarks, UrgentMark } from './triage/TriageMarks.tsx';
import { TriageMenuSlot } from './triage/TriageMenuSlot.tsx';
import { useMayTriage } from './triage/may.ts';
import { Badge } from './Badge.tsx';
import { AnswerBadge, AnswerLine } from '../decisions/Answer.tsx';
import { t } from '../../i18n/i18n.ts';

interface EventCardProps {
  event: EventDto;
  /** For a thread's later event, shown under it: the event that opened the thread. */
  threadStart?: Pick<EventDto, 'createdAt'> & { category?: string | null };
  /** The action whose confirm step opens at once (a notification's button led here). */
  confirmKey?: string | null;
  /** On the event page: JSON open, thread open. */
  detailed?: boolean;
  /** On the event page: its state and the buttons that change it (given by the page, so the feed's cards do not carry them). */
  triageControl?: React.ReactNode;
}

/** Compact mode's badges, beside the title (a question's answer among them). */
function CompactBadges({ event, category }: { event: EventDto; category: string | null }) {
  return (
    <span className="flex min-w-0 shrink-0 items-center gap-1.5 empty:hidden">
      <TriageMarks event={event} brief />
      {event.test && <Badge tone="test">{t('feed.badge.test')}</Badge>}
      {category && <Badge>{category}</Badge>}
      <AnswerBadge event={event} />
      {event.userId && <span className="hidden text-xs text-slate-600 sm:inline dark:text-slate-400">{t('feed.badge.user', { id: event.userId })}</span>}
    </span>
  );
}

/** Compact mode's one line of content. */
function CompactLine({ event }: { event: EventDto }) {
  const preview = event.name === null ? '' : contentPreview(event, 160);
  if (!preview) return null;
  return (
    <p className="truncate text-sm text-slate-700 dark:text-slate-300">
      <Highlighted text={preview} />
    </p>
  );
}

/** A thread's later event, under its opener. */
const threadChild: RenderThreadChild = (child, parent) => <EventCard event={child} threadStart={parent} />;

export function EventCard(props: EventCardProps) {
  const { event, threadStart, detailed = false } = props;
  // A thread's later event found on its own (a search, a category, a user): shown inside its thread's card.
  if (event.opener && !threadStart && !detailed) {
    return (
      <ThreadContext opener={event.opener}>
        <EventCardBody {...props} threadStart={{ createdAt: event.opener.createdAt }} />
      </ThreadContext>
    );
  }
  return <EventCardBody {...props} />;
}

function EventCardBody({ event, threadStart, detailed = false, confirmKey = null, triageControl }: EventCardProps) {
  const links = useFeedLinks();
  const wide = useWide();
  const nested = threadStart !== undefined;
  // Compact: one line of content, a small avatar, badges beside the title (the feed only).
  const compact = useCompact() && !detailed && !nested;
  // The event's own page: its title is the page's second level (under the page's "Event"); in the feed, a card's.
  const TitleTag = detailed ? 'h2' : 'h3';
  // A later event repeats neither its thread's category nor the clock: it says how long after the start it came.
  const category = event.category !== threadStart?.category ? event.category : null;
  const titleId = useId();
  const scoped = useScopedProject();
  const title = eventTitle(event);
  // Beside the feed, the card of the event open in the other pane is marked.
  const current = useOpenEventId() === event.id && wide && !detailed && !nested;
  // Acknowledge, resolve, assign, snooze (§12): a feed card's menu, for members and admins, on a thread's first event.
  const menu = useMayTriage() && !nested && !detailed && event.parentId === null;
  return (
    <article
      aria-labelledby={titleId}
      // A feed card is where j/k put focus (not a tab stop: its title link is).
      tabIndex={nested || detailed ? undefined : -1}
      data-event-id={nested || detailed ? undefined : event.id}
      data-project={nested || detailed ? undefined : (scoped ?? undefined)}
      data-state={nested || detailed ? undefined : event.state}
      className={
        nested
          ? 'flex gap-3 py-3'
          : `relative flex rounded-xl border border-slate-200 bg-white shadow-sm outline-offset-2 focus:outline-2 focus:outline-sky-600 dark:border-slate-800 dark:bg-slate-900 ${compact ? 'gap-2 px-3 py-1.5' : 'gap-3 p-3 sm:gap-4 sm:p-4'} ${
              current ? 'ring-2 ring-sky-600 dark:ring-sky-400' : ''
            }`
      }
    >
      <Avatar value={event.avatar} size={nested || compact ? 'sm' : 'lg'} />
      <div className={`flex min-w-0 flex-1 flex-col ${compact ? 'gap-0.5' : 'gap-2'}`}>
        {/* On its own page the title takes the card's whole width and the time goes under it: beside an
            absolute time a phone left the title a 35 px column. */}
        <header className={detailed ? 'flex flex-col gap-1' : `group/when flex items-start gap-2 ${menu ? 'pe-9' : ''}`}>
          {!nested && <ProjectLabel />}
          {compact && <UrgentMark event={event} />}
          <TitleTag id={titleId} dir="auto" className={`min-w-0 flex-1 font-semibold leading-snug ${nested ? 'text-sm' : 'text-base'} ${compact ? 'truncate' : 'break-words'}`}>
            {detailed ? title : (
              <Link href={links.event(event.id)} scroll={!wide} aria-current={current ? 'true' : undefined} className="hover:underline">
                <Highlighted text={title} />
              </Link>
            )}
          </TitleTag>
          {compact && <CompactBadges event={event} category={category} />}
          {threadStart && (
            <span className="shrink-0 whitespace-nowrap text-xs text-slate-600 tabular-nums dark:text-slate-400">
              {sinceStart(Date.parse(event.createdAt), Date.parse(threadStart.createdAt))}
            </span>
          )}
          <RelativeTime iso={event.createdAt} showAbsolute={detailed} />
        </header>
        {(category || event.test || event.userId || (!nested && !detailed && (event.urgent || event.state !== 'open' || event.assignee || event.count > 1 || event.snoozedUntil))) && !compact && (
          <div className="flex flex-wrap items-center gap-1.5">
            {!nested && !detailed && (
              <>
                <UrgentMark event={event} />
                <TriageMarks event={event} />
              </>
            )}
            {event.test && <Badge tone="test">{t('feed.badge.test')}</Badge>}
            {category && <Badge>{category}</Badge>}
            {event.userId && <span className="text-xs text-slate-600 dark:text-slate-400">{t('feed.badge.user', { id: event.userId })}</span>}
          </div>
        )}
        {compact ? (
          <CompactLine event={event} />
        ) : (
          <EventContent event={event} expanded={detailed} />
        )}
        {detailed && triageControl}
        {/* Its page says the answer in full, in a section of its own. */}
        {!compact && !detailed && <AnswerLine event={event} />}
        <ActionBar event={event} compact={compact} confirmKey={confirmKey} />
        {/* Its menu shows in the top corner, and is the card's last tab stop: the title, then the actions, then it. */}
        {menu && (
          <div className={`absolute ${compact ? 'end-0.5 top-0' : 'end-1 top-1 sm:end-2 sm:top-2'}`}>
            <TriageMenuSlot event={event} titleId={titleId} size="sm" />
          </div>
        )}
        {!nested && event.contextStart && (event.threadCount > 0 || detailed) && (
          <ThreadSection parent={event} initiallyOpen={detailed} renderChild={threadChild} />
        )}
      </div>
    </article>
  );
}

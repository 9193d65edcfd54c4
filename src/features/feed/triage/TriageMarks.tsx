/**
 * An event's state at a glance, for its card, its desk row and its page (§12): `Acknowledged · Ana` /
 * `Resolved · Ana` (nothing while open), who it is assigned to, `×10` when it came ten times, a calm
 * `Urgent` and the snooze.
 */
import type { EventDto } from '../../../../contract/api.ts';
import { useNow } from '../../../lib/useNow.ts';
import { useNameOf } from './people.ts';
import { initials, personLabel, repeatCount, snoozed, soonTime, stateBadge } from './words.ts';
import { t } from '../../../i18n/i18n.ts';

const pill = 'inline-flex shrink-0 items-center gap-1 whitespace-nowrap rounded-md px-1.5 py-0.5 text-xs font-medium';

export function StateBadge({ event, className = '' }: { event: EventDto; className?: string }) {
  const nameOf = useNameOf();
  const badge = stateBadge(event, nameOf);
  if (!badge) return null;
  const tone =
    badge.tone === 'resolved'
      ? 'bg-emerald-50 text-emerald-800 ring-1 ring-emerald-200 dark:bg-emerald-950/60 dark:text-emerald-200 dark:ring-emerald-900'
      : 'bg-sky-50 text-sky-900 ring-1 ring-sky-200 dark:bg-sky-950/60 dark:text-sky-200 dark:ring-sky-900';
  return (
    <span title={badge.said} data-state={event.state} className={`${pill} min-w-0 ${tone} ${className}`}>
      <span aria-hidden="true">{badge.tone === 'resolved' ? '✓' : '●'}</span>
      <span aria-hidden="true" className="min-w-0 truncate">
        {badge.shown}
      </span>
      <span className="sr-only">{badge.said}</span>
    </span>
  );
}

/** Who it is assigned to: their initials in a circle, and (unless `brief`: a one-line row) `Assigned to Ana`. */
export function AssigneeChip({ event, brief = false }: { event: EventDto; brief?: boolean }) {
  const who = event.assignee;
  if (!who) return null;
  const name = personLabel(who);
  return (
    <span title={t('feed.assigned.title', { name, email: who.email })} className="inline-flex min-w-0 shrink-0 items-center gap-1 text-xs text-slate-700 dark:text-slate-300">
      <span
        aria-hidden="true"
        className="flex size-5 shrink-0 items-center justify-center rounded-full bg-violet-100 text-[0.625rem] font-semibold text-violet-900 dark:bg-violet-900/70 dark:text-violet-100"
      >
        {initials(who)}
      </span>
      {brief ? <span className="sr-only">{t('feed.assigned.to', { name })}</span> : <span className="min-w-0 max-w-[14rem] truncate">{t('feed.assigned.to', { name })}</span>}
    </span>
  );
}

/** `×10`: the event came ten times (repeats with its dedupKey updated it in place). */
export function RepeatCount({ event }: { event: EventDto }) {
  const count = repeatCount(event.count);
  if (!count) return null;
  return (
    <span title={t('feed.repeat.title', { count: event.count, n: String(event.count) })} className={`${pill} bg-slate-100 tabular-nums text-slate-800 dark:bg-slate-800 dark:text-slate-100`}>
      <span aria-hidden="true">{count.shown}</span>
      <span className="sr-only">{count.said}</span>
    </span>
  );
}

/** An urgent event: marked clearly, without shouting. */
export function UrgentMark({ event }: { event: EventDto }) {
  if (!event.urgent) return null;
  return (
    <span className={`${pill} bg-red-50 text-red-800 ring-1 ring-red-300 dark:bg-red-950/60 dark:text-red-200 dark:ring-red-900`}>
      <span aria-hidden="true" className="font-bold">
        !
      </span>
      {t('feed.urgent')}
    </span>
  );
}

/** Snoozed: until when (it is out of the default feed meanwhile). */
export function SnoozeMark({ event }: { event: EventDto }) {
  const now = useNow();
  if (!snoozed(event, now)) return null;
  return (
    <span className={`${pill} bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300`}>
      <svg aria-hidden="true" viewBox="0 0 16 16" className="size-3" fill="none" stroke="currentColor" strokeWidth="1.6">
        <circle cx="8" cy="8" r="6" />
        <path d="M8 4.5V8l2.5 1.5" />
      </svg>
      {t('feed.snoozedUntil', { time: soonTime(Date.parse(event.snoozedUntil!), now) })}
    </span>
  );
}

/** The count, the state, the assignee and the snooze, in the order a card reads them (urgent goes first, apart). */
export function TriageMarks({ event, brief = false }: { event: EventDto; brief?: boolean }) {
  return (
    <>
      <RepeatCount event={event} />
      <StateBadge event={event} />
      <AssigneeChip event={event} brief={brief} />
      <SnoozeMark event={event} />
    </>
  );
}

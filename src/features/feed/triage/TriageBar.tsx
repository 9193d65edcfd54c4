/**
 * On the event's page (§12): its state in words — `Acknowledged by Ana · 2 min ago`, who it is
 * assigned to, urgent, snoozed, `Came 10 times · last seen …` — and, for members and admins, the
 * buttons that change it: Acknowledge, Resolve, Reopen, Assign, Snooze (End snooze). Resolving is what
 * "Mark handled" was. `a` and `e` act on it from the keyboard (it carries the event's id and state).
 */
import { useState } from 'react';
import type { EventDto } from '../../../../contract/api.ts';
import { Alert, Button } from '../../../components/ui.tsx';
import { useNow } from '../../../lib/useNow.ts';
import { useProjectRole } from '../../projects/api.ts';
import { useScopedProject } from '../../projects/current.ts';
import { RelativeTime } from '../RelativeTime.tsx';
import { type TriageChange, useTriage } from './api.ts';
import { useNameOf } from './people.ts';
import { useMayTriage } from './may.ts';
import { AssigneeChip, SnoozeMark, UrgentMark } from './TriageMarks.tsx';
import { OpenPicker, type Picker } from './TriageMenu.tsx';
import { repeatCount, snoozed, stateWord } from './words.ts';
import { offeredChanges } from './changeWords.ts';
import { sentence } from '../../../lib/words.ts';
import { t } from '../../../i18n/i18n.ts';
import { rich } from '../../../i18n/rich.tsx';

function StateLine({ event }: { event: EventDto }) {
  const nameOf = useNameOf();
  const by = event.state === 'resolved' ? event.handled : event.state === 'acknowledged' ? event.acknowledged : null;
  const tone =
    event.state === 'resolved' ? 'text-emerald-800 dark:text-emerald-300' : event.state === 'acknowledged' ? 'text-sky-900 dark:text-sky-200' : 'text-slate-800 dark:text-slate-200';
  return (
    <span className={`font-medium ${tone}`}>
      {/* Said when a teammate changes it, live; the ticking time is not part of it. */}
      <span aria-live="polite">
        {event.state !== 'open' && <span aria-hidden="true">{event.state === 'resolved' ? '✓ ' : '● '}</span>}
        {by ? rich(event.state === 'resolved' ? 'feed.state.resolvedBy' : 'feed.state.acknowledgedBy', { by: <span title={by.by}>{nameOf(by.by)}</span> }) : stateWord(event.state)}
      </span>
      {by && (
        <span className="font-normal">
          {' · '}
          <RelativeTime iso={by.at} />
        </span>
      )}
    </span>
  );
}

export function TriageBar({ event }: { event: EventDto }) {
  const may = useMayTriage();
  const roleKnown = useProjectRole() !== undefined;
  const triage = useTriage(event.id);
  const now = useNow();
  const scoped = useScopedProject();
  const [picker, setPicker] = useState<Picker>(null);
  // A thread's later event is changed through its first event (linked under the card).
  if (event.parentId !== null) return null;
  const offered = offeredChanges(event.state);
  const change = (c: TriageChange) => {
    triage.reset();
    triage.mutate(c);
  };
  const repeats = repeatCount(event.count);
  return (
    <div
      data-triage-bar=""
      data-event-id={event.id}
      data-state={event.state}
      data-project={scoped ?? undefined}
      className="flex flex-col gap-2 rounded-lg bg-slate-50 px-3 py-2 ring-1 ring-slate-200 dark:bg-slate-800/40 dark:ring-slate-800"
    >
      <p className="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm">
        <UrgentMark event={event} />
        <StateLine event={event} />
      </p>
      <p className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
        {event.assignee ? <AssigneeChip event={event} /> : <span className="text-xs text-slate-600 dark:text-slate-400">{t('feed.triage.nobody')}</span>}
        <SnoozeMark event={event} />
      </p>
      {repeats && (
        <p className="text-xs text-slate-700 dark:text-slate-300">
          {rich('feed.triage.came', {
            times: <span className="font-semibold tabular-nums">{t('feed.times', { count: event.count })}</span>,
            when: <RelativeTime iso={event.lastSeenAt} />,
          })}
        </p>
      )}
      {may ? (
        <div className="flex flex-wrap gap-2">
          {offered.ack && (
            <Button tone="primary" disabled={triage.isPending} onClick={() => change({ kind: 'ack' })}>
              {t('feed.triage.ack')}
            </Button>
          )}
          {offered.resolve && (
            <Button tone={offered.ack ? 'neutral' : 'primary'} disabled={triage.isPending} onClick={() => change({ kind: 'resolve' })}>
              {t('feed.triage.resolve')}
            </Button>
          )}
          {offered.reopen && (
            <Button disabled={triage.isPending} onClick={() => change({ kind: 'reopen' })}>
              {t('feed.triage.reopen')}
            </Button>
          )}
          <Button aria-haspopup="dialog" onClick={() => setPicker('assign')}>
            {t('feed.triage.assign')}
          </Button>
          {event.state !== 'resolved' && (
            <Button aria-haspopup="dialog" onClick={() => setPicker('snooze')}>
              {t('feed.triage.snooze')}
            </Button>
          )}
          {snoozed(event, now) && (
            <Button disabled={triage.isPending} onClick={() => change({ kind: 'unsnooze' })}>
              {t('feed.triage.endSnooze')}
            </Button>
          )}
        </div>
      ) : (
        roleKnown && <p className="text-xs text-slate-600 dark:text-slate-400">{t('feed.triage.viewOnly')}</p>
      )}
      {triage.error && <Alert>{sentence(triage.error.message)}</Alert>}
      <OpenPicker picker={picker} event={event} onClose={() => setPicker(null)} />
    </div>
  );
}

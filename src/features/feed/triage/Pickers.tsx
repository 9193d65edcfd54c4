/**
 * The two small pickers of working an event together (§12), loaded when first opened: whom to assign
 * the event to, and until when to snooze it. Each sends its change and closes; a refusal is said in it.
 */
import { useId, useState } from 'react';
import type { EventDto } from '../../../../contract/api.ts';
import { SNOOZE_MAX_MS } from '../../../../contract/triage.ts';
import { Sheet } from '../../../components/Sheet.tsx';
import { Alert, Button } from '../../../components/ui.tsx';
import { fieldError } from '../../../lib/api.ts';
import { PersonMark } from '../../projects/PersonMark.tsx';
import { useProjectRole } from '../../projects/api.ts';
import { useEvent } from '../api.ts';
import { useTriage } from './api.ts';
import { useMe, useProjectPeople } from './people.ts';
import { personLabel, snoozed, soonTime } from './words.ts';
import { assignable, fromLocalInput, snoozePresets, toLocalInput } from './changeWords.ts';
import { sentence } from '../../../lib/words.ts';
import { t } from '../../../i18n/i18n.ts';

const choiceBase =
  'flex min-h-11 w-full rounded-lg px-3 py-1.5 text-start text-sm ring-1 ring-slate-300 hover:bg-slate-100 disabled:cursor-not-allowed disabled:opacity-60 aria-pressed:bg-sky-50 aria-pressed:ring-sky-600 dark:ring-slate-700 dark:hover:bg-slate-800 dark:aria-pressed:bg-sky-950 dark:aria-pressed:ring-sky-400';
/** A person: mark, name and email on one line. */
const choice = `${choiceBase} items-center gap-2`;
/** A snooze preset: its name over its time. */
const preset = `${choiceBase} flex-col items-start justify-center`;

/** Assign: the project's people (all of them for an admin; else oneself and those on the event), and Unassign. */
export function AssignSheet({ event, onClose }: { event: EventDto; onClose: () => void }) {
  const triage = useTriage(event.id);
  const admin = useProjectRole() === 'admin';
  const people = useProjectPeople();
  const me = useMe();
  // Who else is on its timeline, for someone who may not read the project's member list.
  const detail = useEvent(event.id, !admin);
  const list = assignable(people, me, event, detail.data?.activity ?? []);
  const assign = (userId: string | null) => triage.mutate({ kind: 'assign', userId }, { onSuccess: onClose });
  return (
    <Sheet title={t('feed.assign.title')} onClose={onClose}>
      <ul aria-label={t('feed.assign.people')} className="flex max-h-[50dvh] flex-col gap-1.5 overflow-y-auto">
        {list.map((p) => {
          const current = event.assignee?.id === p.id;
          return (
            <li key={p.id}>
              <button type="button" aria-pressed={current} disabled={triage.isPending} onClick={() => (current ? onClose() : assign(p.id))} className={choice}>
                <PersonMark id={p.id} />
                <span className="min-w-0 flex-1">
                  <span className="block truncate font-medium">
                    {personLabel(p)}
                    {p.id === me?.id && <span className="font-normal text-slate-600 dark:text-slate-400"> {t('feed.assign.you')}</span>}
                  </span>
                  {p.name.trim() && <span className="block truncate text-xs text-slate-600 dark:text-slate-400">{p.email}</span>}
                </span>
                {current && <span className="text-xs font-medium text-sky-800 dark:text-sky-300">{t('feed.assign.current')}</span>}
              </button>
            </li>
          );
        })}
      </ul>
      {!admin && <p className="text-xs text-slate-600 dark:text-slate-400">{t('feed.assign.onlyAdmins')}</p>}
      {event.assignee && (
        <Button onClick={() => assign(null)} disabled={triage.isPending}>
          {t('feed.assign.unassign')}
        </Button>
      )}
      {triage.error && <Alert>{sentence(fieldError(triage.error, 'userId') ?? triage.error.message)}</Alert>}
    </Sheet>
  );
}

/** Snooze: 1 hour, 4 hours, tomorrow 09:00, next week, or a time of one's own (at most 30 days); End snooze while snoozed. */
export function SnoozeSheet({ event, onClose }: { event: EventDto; onClose: () => void }) {
  const triage = useTriage(event.id);
  const [now] = useState(() => Date.now());
  const presets = snoozePresets(now);
  const [custom, setCustom] = useState(() => toLocalInput(presets[2]!.until));
  const inputId = useId();
  const snooze = (until: number) => triage.mutate({ kind: 'snooze', until: new Date(until).toISOString() }, { onSuccess: onClose });
  const untilError = fieldError(triage.error, 'until');
  const chosen = fromLocalInput(custom);
  return (
    <Sheet title={t('feed.snooze.title')} onClose={onClose}>
      <p className="text-xs text-slate-600 dark:text-slate-400">{t('feed.snooze.hint')}</p>
      <div className="grid grid-cols-2 gap-2">
        {presets.map((p) => (
          <button key={p.label} type="button" disabled={triage.isPending} onClick={() => snooze(p.until)} className={preset}>
            <span className="font-medium">{p.label}</span>
            <span className="text-xs text-slate-600 dark:text-slate-400">{soonTime(p.until, now)}</span>
          </button>
        ))}
      </div>
      <form
        className="flex flex-col gap-1"
        onSubmit={(e) => {
          e.preventDefault();
          if (chosen !== null) snooze(chosen);
        }}
      >
        <label htmlFor={inputId} className="text-sm font-medium">
          {t('feed.snooze.own')}
        </label>
        <div className="flex flex-wrap items-center gap-2">
          <input
            id={inputId}
            type="datetime-local"
            required
            value={custom}
            min={toLocalInput(now)}
            max={toLocalInput(now + SNOOZE_MAX_MS)}
            aria-invalid={untilError ? true : undefined}
            aria-describedby={untilError ? `${inputId}-error` : undefined}
            onChange={(e) => {
              setCustom(e.target.value);
              if (triage.error) triage.reset();
            }}
            className="min-h-11 min-w-[13rem] flex-1 rounded-lg border border-slate-300 bg-white px-3 text-base dark:border-slate-700 dark:bg-slate-900"
          />
          <Button type="submit" tone="primary" disabled={triage.isPending || chosen === null}>
            {t('feed.snooze.then')}
          </Button>
        </div>
        {untilError && (
          <p id={`${inputId}-error`} className="text-sm text-red-700 dark:text-red-400">
            {sentence(t('feed.snooze.untilError', { reason: untilError }))}
          </p>
        )}
      </form>
      {snoozed(event, now) && (
        <Button onClick={() => triage.mutate({ kind: 'unsnooze' }, { onSuccess: onClose })} disabled={triage.isPending}>
          {t('feed.triage.endSnooze')}
        </Button>
      )}
      {triage.error && !untilError && <Alert>{sentence(triage.error.message)}</Alert>}
    </Sheet>
  );
}

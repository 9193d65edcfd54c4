/**
 * The event page's Timeline (§12): who acknowledged, assigned, snoozed, resolved, reopened it and
 * when, and the notes — plain text, its http(s) links made safe links, its @mentions marked — oldest
 * first, the newest at the bottom, where members add a note (Ctrl/Cmd+Enter posts).
 */
import { useId, useRef, useState } from 'react';
import type { EventDetail } from '../../../../contract/api.ts';
import { type ActivityDto, NOTE_MAX } from '../../../../contract/triage.ts';
import { Button } from '../../../components/ui.tsx';
import { fieldError } from '../../../lib/api.ts';
import { useNow } from '../../../lib/useNow.ts';
import { PersonMark } from '../../projects/PersonMark.tsx';
import { SafeLink } from '../content/SafeLink.tsx';
import { RelativeTime } from '../RelativeTime.tsx';
import { useAddNote } from './api.ts';
import { useMayTriage } from './may.ts';
import { activityMessage, actorLabel, noteParts } from './changeWords.ts';
import { sentence } from '../../../lib/words.ts';
import { t } from '../../../i18n/i18n.ts';
import { intlLocale } from '../../../i18n/locale.ts';
import { rich } from '../../../i18n/rich.tsx';

/** A note's text: never HTML; links open apart, without the page's address; mentions marked. */
export function NoteText({ text }: { text: string }) {
  return (
    <p dir="auto" className="whitespace-pre-wrap break-words text-sm leading-relaxed text-slate-800 dark:text-slate-200">
      {noteParts(text).map((part, i) =>
        part.kind === 'link' ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts of one immutable string
          <SafeLink key={i} href={part.href} text={part.text} />
        ) : part.kind === 'mention' ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts of one immutable string
          <span key={i} className="rounded bg-sky-100 px-0.5 font-medium text-sky-900 dark:bg-sky-900/60 dark:text-sky-100">
            {part.text}
          </span>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts of one immutable string
          <span key={i}>{part.text}</span>
        ),
      )}
    </p>
  );
}

function Entry({ a }: { a: ActivityDto }) {
  const now = useNow();
  // A snooze the server ended has nobody to name.
  const nobody = a.kind === 'unsnoozed' && a.by.id === null;
  const message = activityMessage(a, now);
  const who = (
    <span className="font-medium text-slate-900 dark:text-slate-100">
      {a.by.id !== null && <PersonMark id={a.by.id} className="me-1" />}
      <span title={a.by.email}>{actorLabel(a.by)}</span>
    </span>
  );
  if (a.kind === 'note') {
    return (
      <li className="flex flex-col gap-1 rounded-lg bg-slate-50 px-3 py-2 ring-1 ring-slate-200 dark:bg-slate-800/50 dark:ring-slate-700">
        <p className="text-xs text-slate-600 dark:text-slate-400">
          {who} <RelativeTime iso={a.at} />
        </p>
        <NoteText text={a.text ?? ''} />
      </li>
    );
  }
  return (
    <li className="grid grid-cols-[0.375rem_minmax(0,1fr)] items-baseline gap-x-2 px-1 text-sm text-slate-700 dark:text-slate-300">
      <span aria-hidden="true" className="size-1.5 -translate-y-0.5 rounded-full bg-slate-400 dark:bg-slate-500" />
      <p>
        {nobody ? t(message.id, message.values) : rich(message.id, { who }, message.values)} <RelativeTime iso={a.at} />
      </p>
    </li>
  );
}

/** The note field: `Add a note`, `Post` (Ctrl/Cmd+Enter), a counter near the limit, the refusal under it. */
function NoteComposer({ eventId }: { eventId: string }) {
  const [text, setText] = useState('');
  const add = useAddNote(eventId);
  const id = useId();
  const ref = useRef<HTMLTextAreaElement>(null);
  const refusal = fieldError(add.error, 'text') ?? add.error?.message ?? null;
  const left = NOTE_MAX - text.length;
  const number = new Intl.NumberFormat(intlLocale());
  const post = (e?: { preventDefault(): void }) => {
    e?.preventDefault();
    if (add.isPending || text.trim() === '') return;
    add.mutate(text, {
      onSuccess: () => {
        setText('');
        ref.current?.focus();
      },
    });
  };
  const described = [refusal ? `${id}-error` : null, `${id}-hint`].filter(Boolean).join(' ');
  return (
    <form onSubmit={post} className="flex flex-col gap-1.5">
      <label htmlFor={id} className="text-sm font-medium">
        {t('feed.note.add')}
      </label>
      <textarea
        ref={ref}
        id={id}
        rows={3}
        value={text}
        maxLength={NOTE_MAX}
        aria-invalid={refusal ? true : undefined}
        aria-describedby={described}
        onChange={(e) => {
          setText(e.target.value);
          if (add.error) add.reset();
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) post(e);
        }}
        className="min-h-20 w-full resize-y rounded-lg border border-slate-300 bg-white px-3 py-2 text-base dark:border-slate-700 dark:bg-slate-900"
      />
      {refusal && (
        <p id={`${id}-error`} className="text-sm text-red-700 dark:text-red-400">
          {sentence(fieldError(add.error, 'text') ? t('feed.note.refusal', { reason: refusal }) : refusal)}
        </p>
      )}
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <p id={`${id}-hint`} className="min-w-0 flex-1 text-xs text-slate-600 dark:text-slate-400">
          {t('feed.note.hint')}
          {left <= 400 && (
            <span className={`ms-2 tabular-nums ${left <= 0 ? 'font-semibold text-red-700 dark:text-red-400' : ''}`}>
              {number.format(text.length)} / {number.format(NOTE_MAX)}
            </span>
          )}
        </p>
        <Button type="submit" tone="primary" disabled={add.isPending || text.trim() === ''}>
          {t('feed.note.post')}
        </Button>
      </div>
    </form>
  );
}

export function Timeline({ detail }: { detail: EventDetail }) {
  const may = useMayTriage();
  const titleId = useId();
  const { event, activity } = detail;
  // A thread's later event has none of its own: its thread's first event carries it.
  if (event.parentId !== null) return null;
  return (
    <section aria-labelledby={titleId} className="flex flex-col gap-3 rounded-xl border border-slate-200 bg-white px-4 py-3 dark:border-slate-800 dark:bg-slate-900">
      <h2 id={titleId} className="text-base font-semibold">
        {t('feed.timeline')}
      </h2>
      {activity.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">{t('feed.timeline.empty')}</p>
      ) : (
        <ol aria-label={t('feed.timeline')} className="flex flex-col gap-2">
          {activity.map((a) => (
            <Entry key={a.id} a={a} />
          ))}
        </ol>
      )}
      {may && <NoteComposer eventId={event.id} />}
    </section>
  );
}

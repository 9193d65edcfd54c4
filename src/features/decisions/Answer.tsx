/**
 * An event's question and its answer (§11): a badge on a desk row or a compact card, a line on a card,
 * and the `Answer` section of the event's page (the answer, what was typed, who, when; or that it
 * waits, or that nobody answered; and how the POST to the asker went). Text is always plain text.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { EventDetail, EventDto } from '../../../contract/api.ts';
import { asksQuestion, type DecisionDto, decisionOf } from '../../../contract/decisions.ts';
import { serverNow } from '../../lib/clock.ts';
import { useNow } from '../../lib/useNow.ts';
import { useRemaining } from '../actions/useCountdown.ts';
import { eventKeys } from '../feed/api.ts';
import { RelativeTime } from '../feed/RelativeTime.tsx';
import { answerBadge, deliveryWords, personName, unansweredWords } from './words.ts';
import { t } from '../../i18n/i18n.ts';
import { messagePieces } from '../../lib/words.ts';

/** The event's decision now, re-read when its question expires; `remaining`: until then. */
function useQuestion(event: EventDto): { decision: DecisionDto; remaining: number } {
  const expiresAt = decisionOf(event, 0).expiresAt;
  const remaining = useRemaining(expiresAt ?? event.createdAt);
  return { decision: decisionOf(event, serverNow()), remaining };
}

/** What the chosen reply asked to be typed, for naming the text (`Why?`). */
const inputLabel = (event: EventDto, key: string | null) => event.actions.find((a) => a.key === key)?.input?.label ?? t('core.attempt.typed');

/**
 * `✓ Ship it` / `Question: expired` beside the title of a compact card or a desk row (one line);
 * nothing while it waits. `expiredOnly` (a desk row, where every character counts): the chosen
 * button already reads `✓ Ship it` beside `Not chosen`, so the badge only says that nobody answered.
 */
export function AnswerBadge({ event, expiredOnly = false }: { event: EventDto; expiredOnly?: boolean }) {
  if (!asksQuestion(event) || (expiredOnly && event.decision)) return null;
  return <AnswerBadgeOf event={event} />;
}

function AnswerBadgeOf({ event }: { event: EventDto }) {
  const { decision } = useQuestion(event);
  const badge = answerBadge(decision);
  if (!badge) return null;
  const decided = decision.status === 'decided';
  return (
    <span
      className={`max-w-[10rem] shrink-0 truncate rounded-md px-1.5 py-0.5 text-xs font-medium ${
        decided ? 'bg-emerald-50 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200' : 'bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300'
      }`}
    >
      <span aria-hidden="true">{badge.shown}</span>
      <span className="sr-only">{badge.said}</span>
    </span>
  );
}

/**
 * What the person who answered typed, on a feed card (its buttons already say which answer, by whom,
 * when: `✓ Answered`, `Not chosen`): the first lines, under its label.
 */
export function AnswerLine({ event }: { event: EventDto }) {
  const d = event.decision;
  if (!d?.input || !asksQuestion(event)) return null;
  return (
    <figure className="flex min-w-0 flex-col gap-0.5 border-s-2 border-emerald-600 ps-3 text-sm dark:border-emerald-400">
      <figcaption className="text-xs text-slate-600 dark:text-slate-300">{inputLabel(event, d.key)}</figcaption>
      <blockquote dir="auto" className="line-clamp-3 whitespace-pre-wrap break-words text-slate-800 dark:text-slate-200">{d.input}</blockquote>
    </figure>
  );
}

/** The POST of the decision to the event's replyUrl, in one line; the page looks again when the next try is due. */
function Delivery({ eventId, delivery }: { eventId: string; delivery: NonNullable<EventDetail['replyDelivery']> }) {
  const qc = useQueryClient();
  const now = useNow();
  const { text, tone } = deliveryWords(delivery, now);
  // Nothing live says how a try went: while it is still trying, read the page again once the next try
  // is due, and on each tick of the clock (15 s) while it is overdue — at the soonest 3 s from now.
  const { status, nextAt } = delivery;
  useEffect(() => {
    if (status !== 'pending') return;
    const due = nextAt ? Date.parse(nextAt) - now + 1_000 : 0;
    const timer = setTimeout(() => void qc.invalidateQueries({ queryKey: eventKeys.detail(eventId), exact: true }), Math.min(Math.max(due, 3_000), 3_600_000));
    return () => clearTimeout(timer);
  }, [status, nextAt, now, qc, eventId]);
  const colour =
    tone === 'ok' ? 'text-emerald-800 dark:text-emerald-300' : tone === 'failed' ? 'text-red-800 dark:text-red-300' : 'text-amber-900 dark:text-amber-200';
  return <p className={`text-xs font-medium ${colour}`}>{text}</p>;
}

/** `by Maria · 2 min ago`: who answered, and when (its exact time on hover). */
function AnsweredBy({ by, at }: { by: string; at: string }) {
  return messagePieces('core.answer.by', { who: by }, ['when']).map((p) =>
    typeof p === 'string' ? p.trim() && <span key={p}>{p.trim()}</span> : <RelativeTime key="when" iso={at} showAbsolute />,
  );
}

/** The event page's `Answer`: the question's state in full. */
export function AnswerSection({ detail }: { detail: EventDetail }) {
  if (!asksQuestion(detail.event)) return null;
  return <AnswerSectionOf detail={detail} />;
}

function AnswerSectionOf({ detail }: { detail: EventDetail }) {
  const { event, replyDelivery } = detail;
  const { decision: d, remaining } = useQuestion(event);
  return (
    <section aria-labelledby="answer-title" className="flex flex-col gap-2 rounded-xl border border-slate-200 bg-white px-4 py-3 dark:border-slate-800 dark:bg-slate-900">
      <h2 id="answer-title" className="text-base font-semibold">
        {t('core.answer.title')}
      </h2>
      {d.status === 'decided' && event.decision ? (
        <>
          <p className="text-base font-semibold text-emerald-800 dark:text-emerald-300">
            <span aria-hidden="true">✓ </span>
            {/* The answer shows; the words around it are read out. */}
            {messagePieces('core.answer.said', {}, ['answer']).map((p) =>
              typeof p === 'string' ? (
                <span key={p} className="sr-only">
                  {p}
                </span>
              ) : (
                (d.buttonText ?? d.key)
              ),
            )}
          </p>
          {d.input && (
            <figure className="flex flex-col gap-0.5">
              <figcaption className="text-xs text-slate-600 dark:text-slate-400">{inputLabel(event, d.key)}</figcaption>
              <blockquote dir="auto" className="whitespace-pre-wrap break-words border-s-2 border-slate-300 ps-3 text-sm text-slate-900 dark:border-slate-600 dark:text-slate-100">
                {d.input}
              </blockquote>
            </figure>
          )}
          <p className="flex flex-wrap items-baseline gap-x-1.5 text-xs text-slate-600 dark:text-slate-300">
            <AnsweredBy by={personName(event.decision.by)} at={event.decision.at} />
          </p>
        </>
      ) : (
        <p className={`text-sm ${d.status === 'expired' || remaining <= 0 ? 'font-medium text-slate-800 dark:text-slate-100' : 'text-slate-700 dark:text-slate-300'}`}>
          {unansweredWords(d.status === 'expired' ? 'expired' : 'pending', remaining)}
        </p>
      )}
      {replyDelivery && <Delivery eventId={event.id} delivery={replyDelivery} />}
    </section>
  );
}

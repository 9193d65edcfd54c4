/** An event's question and its answer in words (§11), pure: for the card's badge and the event's page. */
import type { DecisionDto, ReplyDeliveryDto } from '../../../contract/decisions.ts';
import { formatRemaining } from '../actions/countdown.ts';
import { describeReason } from '../actions/reasons.ts';
import { t } from '../../i18n/i18n.ts';
import { dateFormat } from '../../lib/intl.ts';

/** Who answered: their name, else their email (accounts made before names have none). */
export const personName = (by: { name: string; email: string }): string => by.name.trim() || by.email;

/** A field's label before its text: `Why?` as it is, `Reason` as `Reason:`. */
export const asCaption = (label: string): string => (/[?:.!…？：。]$/.test(label.trim()) ? label.trim() : t('core.caption', { label: label.trim() }));

/**
 * The one-line badge of a desk row or a compact card: `✓ Ship it` once answered, `Question: expired`
 * when nobody answered in time; null while it waits (its buttons are beside it). `said`: what a
 * screen reader hears (the ✓ is not read).
 */
export function answerBadge(d: Pick<DecisionDto, 'status' | 'buttonText' | 'key'>): { shown: string; said: string } | null {
  if (d.status === 'decided') {
    const answer = d.buttonText ?? d.key ?? t('core.answer.fallback');
    return { shown: `✓ ${answer}`, said: t('core.answer.said', { answer }) };
  }
  if (d.status === 'expired') return { shown: t('core.answer.expiredBadge'), said: t('core.answer.expiredSaid') };
  return null;
}

/** A question without an answer: `Waiting for an answer · expires in 12m 3s`, or that nobody answered. */
export function unansweredWords(status: 'pending' | 'expired', remainingMs: number): string {
  if (status === 'expired' || remainingMs <= 0) return t('core.answer.expired');
  return t('core.answer.waiting', { time: formatRemaining(remainingMs) });
}

/** A time soon after `now` said briefly: `15:42` today, else with its date. */
export function shortTime(at: number, now: number): string {
  const sameDay = new Date(at).toDateString() === new Date(now).toDateString();
  return sameDay
    ? dateFormat({ hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(at)
    : dateFormat({ dateStyle: 'medium', timeStyle: 'short' }).format(at);
}

/**
 * How the POST of the decision to the event's `replyUrl` went, in one line: `Sent to the asker ✓
 * (HTTP 200)`, `Sending to the asker: try 2 failed (the receiver answered HTTP 500), next at 15:42:10`,
 * `Gave up sending after a day …`. `tone`: how it reads (done, still trying, given up).
 */
export function deliveryWords(d: ReplyDeliveryDto, now: number): { text: string; tone: 'ok' | 'trying' | 'failed' } {
  const reason = d.lastReason ? describeReason(d.lastReason) : null;
  const count = d.attempts;
  switch (d.status) {
    case 'delivered':
      return { text: d.lastStatus === null ? t('core.delivery.sent') : t('core.delivery.sentStatus', { status: d.lastStatus }), tone: 'ok' };
    case 'gave_up':
      return { text: reason ? t('core.delivery.gaveUpReason', { count, reason }) : t('core.delivery.gaveUp', { count }), tone: 'failed' };
    default: {
      if (d.attempts === 0) return { text: t('core.delivery.sending'), tone: 'trying' };
      const next = d.nextAt ? shortTime(Date.parse(d.nextAt), now) : null;
      if (next === null) return { text: reason ? t('core.delivery.tryFailedReason', { count, reason }) : t('core.delivery.tryFailed', { count }), tone: 'trying' };
      return { text: reason ? t('core.delivery.tryFailedReasonNext', { count, reason, next }) : t('core.delivery.tryFailedNext', { count, next }), tone: 'trying' };
    }
  }
}

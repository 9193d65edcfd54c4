/** An event's question and its answer in words (§11), pure: for the card's badge and the event's page. */
import type { DecisionDto, ReplyDeliveryDto } from '../../../contract/decisions.ts';
import { formatRemaining } from '../actions/countdown.ts';
import { describeReason } from '../actions/reasons.ts';

/** Who answered: their name, else their email (accounts made before names have none). */
export const personName = (by: { name: string; email: string }): string => by.name.trim() || by.email;

/** A field's label before its text: `Why?` as it is, `Reason` as `Reason:`. */
export const asCaption = (label: string): string => (/[?:.!…]$/.test(label.trim()) ? label.trim() : `${label.trim()}:`);

/**
 * The one-line badge of a desk row or a compact card: `✓ Ship it` once answered, `Question: expired`
 * when nobody answered in time; null while it waits (its buttons are beside it). `said`: what a
 * screen reader hears (the ✓ is not read).
 */
export function answerBadge(d: Pick<DecisionDto, 'status' | 'buttonText' | 'key'>): { shown: string; said: string } | null {
  if (d.status === 'decided') {
    const answer = d.buttonText ?? d.key ?? 'answered';
    return { shown: `✓ ${answer}`, said: `Answered: ${answer}` };
  }
  if (d.status === 'expired') return { shown: 'Question: expired', said: 'Question expired unanswered' };
  return null;
}

/** A question without an answer: `Waiting for an answer · expires in 12m 3s`, or that nobody answered. */
export function unansweredWords(status: 'pending' | 'expired', remainingMs: number): string {
  if (status === 'expired' || remainingMs <= 0) return 'Expired unanswered — nobody answered';
  return `Waiting for an answer · expires in ${formatRemaining(remainingMs)}`;
}

/** A time soon after `now` said briefly: `15:42` today, else with its date. */
export function shortTime(at: number, now: number): string {
  const sameDay = new Date(at).toDateString() === new Date(now).toDateString();
  return sameDay
    ? new Date(at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' })
    : new Date(at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/**
 * How the POST of the decision to the event's `replyUrl` went, in one line: `Sent to the asker ✓
 * (HTTP 200)`, `Sending to the asker: try 2 failed (the receiver answered HTTP 500), next at 15:42:10`,
 * `Gave up sending after a day …`. `tone`: how it reads (done, still trying, given up).
 */
export function deliveryWords(d: ReplyDeliveryDto, now: number): { text: string; tone: 'ok' | 'trying' | 'failed' } {
  const why = d.lastReason ? ` (${describeReason(d.lastReason)})` : '';
  switch (d.status) {
    case 'delivered':
      return { text: `Sent to the asker ✓${d.lastStatus === null ? '' : ` (HTTP ${d.lastStatus})`}`, tone: 'ok' };
    case 'gave_up':
      return { text: `Gave up sending after a day: ${d.attempts} ${d.attempts === 1 ? 'try' : 'tries'} failed${why}`, tone: 'failed' };
    default: {
      if (d.attempts === 0) return { text: 'Sending to the asker…', tone: 'trying' };
      const next = d.nextAt ? `, next at ${shortTime(Date.parse(d.nextAt), now)}` : '';
      return { text: `Sending to the asker: try ${d.attempts} failed${why}${next}`, tone: 'trying' };
    }
  }
}

/** A press request's state in words (pure: unit-tested), for the action's row and the event's page. */
import type { ActionDto } from '../../../contract/api.ts';
import type { PressRequestDto } from '../../../contract/requests.ts';
import { t } from '../../i18n/i18n.ts';

/** `Sending in 12 s` until the send, then `Sending…`. */
export const sendingIn = (msLeft: number): string => (msLeft > 0 ? t('core.request.sendingIn', { seconds: Math.ceil(msLeft / 1000) }) : t('core.sending'));

/** How many more approvals a request waits for. */
export const stillNeeded = (r: Pick<PressRequestDto, 'needed' | 'approvedBy'>): number => Math.max(0, r.needed - r.approvedBy.length);

/** `1 more needed`. */
export const moreNeeded = (r: Pick<PressRequestDto, 'needed' | 'approvedBy'>): string => t('core.request.moreNeeded', { count: stillNeeded(r) });

/** `Waiting for approval · 1 more needed`. */
export const waitingWords = (r: Pick<PressRequestDto, 'needed' | 'approvedBy'>): string => `${t('core.request.waiting')} · ${moreNeeded(r)}`;

/** How a request ended unsent, in a sentence; null when it did not (it waits, or it was sent). */
export function endedWords(r: PressRequestDto): string | null {
  const who = r.ended?.by?.email ?? t('core.who.someone');
  switch (r.status) {
    case 'cancelled':
      return t('core.request.cancelled', { who });
    case 'denied':
      return r.ended?.reason ? t('core.request.deniedReason', { who, reason: r.ended.reason }) : t('core.request.denied', { who });
    case 'approval_expired':
      return t('core.request.approvalExpired');
    case 'expired':
      return t('core.request.expired');
    default:
      return null;
  }
}

/** The ended request is still news: nothing was pressed since it ended. */
export function endedRecently(action: Pick<ActionDto, 'request' | 'lastAttempt'>): boolean {
  const ended = action.request?.ended;
  if (!ended) return false;
  return !action.lastAttempt || Date.parse(ended.at) >= Date.parse(action.lastAttempt.startedAt);
}

/** A press request's state in words (pure: unit-tested), for the action's row and the event's page. */
import type { ActionDto } from '../../../contract/api.ts';
import type { PressRequestDto } from '../../../contract/requests.ts';

/** `Sending in 12 s` until the send, then `Sending…`. */
export const sendingIn = (msLeft: number): string => (msLeft > 0 ? `Sending in ${Math.ceil(msLeft / 1000)} s` : 'Sending…');

/** How many more approvals a request waits for. */
export const stillNeeded = (r: Pick<PressRequestDto, 'needed' | 'approvedBy'>): number => Math.max(0, r.needed - r.approvedBy.length);

/** `Waiting for approval · 1 more needed`. */
export const waitingWords = (r: Pick<PressRequestDto, 'needed' | 'approvedBy'>): string => `Waiting for approval · ${stillNeeded(r)} more needed`;

/** How a request ended unsent, in a sentence; null when it did not (it waits, or it was sent). */
export function endedWords(r: PressRequestDto): string | null {
  const by = r.ended?.by?.email;
  switch (r.status) {
    case 'cancelled':
      return `Cancelled by ${by ?? 'someone'}. Nothing was sent.`;
    case 'denied':
      return `Denied by ${by ?? 'someone'}${r.ended?.reason ? `: “${r.ended.reason}”` : ''}. Nothing was sent.`;
    case 'approval_expired':
      return 'Nobody approved it in time. Nothing was sent.';
    case 'expired':
      return 'The action expired before it was sent. Nothing was sent.';
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

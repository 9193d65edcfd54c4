/** What a webhook action's row shows, decided in one place (pure: unit-tested). */
import { type ActionDto, type PressRefusal, pressRefusal } from '../../../contract/api.ts';
import { absoluteTime } from '../../lib/time.ts';
import { currentLocale, t } from '../../i18n/i18n.ts';
import { sentence } from '../../lib/words.ts';

/**
 * - `ready`: can be pressed (a repeatable action that succeeded stays ready).
 * - `running`: a press is on its way to the receiver.
 * - `done`: succeeded and cannot run again.
 * - `failed`: the last press failed; it can be pressed again.
 * - `expired`: can never run again.
 * - `offline`: could run, but not without the server.
 * - `scheduled`: a press waits for its delay (it can be cancelled); `awaiting`: for approvals.
 * - `not_chosen`: a reply action whose question another reply answered (§11): it can never run.
 */
export type ActionPhase = 'ready' | 'running' | 'done' | 'failed' | 'expired' | 'offline' | 'scheduled' | 'awaiting' | 'not_chosen';

/** `notChosen`: the event's question was answered by another of its reply actions (contract's `notChosen`). */
export function actionPhase(action: ActionDto, remainingMs: number, offline: boolean, pending: boolean, notChosen = false): ActionPhase {
  if (action.state === 'running' || pending) return 'running';
  // The answer is final: a press of another reply that still waits (a delay, approvals) will be refused.
  if (notChosen) return 'not_chosen';
  if (action.state === 'scheduled') return 'scheduled';
  if (action.state === 'awaiting_approval') return 'awaiting';
  if (action.state === 'succeeded' && !action.repeat) return 'done';
  if (remainingMs <= 0) return 'expired';
  if (offline) return 'offline';
  if (action.lastAttempt?.outcome === 'failed') return 'failed';
  return 'ready';
}

export { type PressRefusal, pressRefusal };

/**
 * Why a notification's button did not open the confirm step (the action changed since the push), in
 * words for the event's page; null: open it.
 */
export function confirmBlocked(buttonText: string, phase: ActionPhase, refusal: PressRefusal | null, reply = false): string | null {
  const button = buttonText;
  if (refusal) return t(refusal === 'view_only' ? 'core.blocked.viewOnly' : 'core.blocked.adminsOnly', { button });
  switch (phase) {
    case 'expired':
      return t('core.blocked.expired', { button });
    case 'done':
      return t(reply ? 'core.blocked.answered' : 'core.blocked.done', { button });
    case 'running':
      return t('core.blocked.running', { button });
    case 'scheduled':
      return t('core.blocked.scheduled', { button });
    case 'awaiting':
      return t('core.blocked.awaiting', { button });
    case 'offline':
      return t('core.blocked.offline', { button });
    case 'not_chosen':
      return t('core.blocked.notChosen', { button });
    default:
      return null;
  }
}

/** The contract's refusal in the person's language (`View only`, `Admins only`). */
export const refusalText = (refusal: PressRefusal): string => t(refusal === 'view_only' ? 'core.refusal.viewOnly' : 'core.refusal.adminsOnly');

/** A refused or failed press in a sentence (never a raw code), naming the teammate when one is known. */
export function pressErrorSentence(error: { code?: string; message: string }, action: Pick<ActionDto, 'lastAttempt'>): string {
  const who = action.lastAttempt?.pressedBy ?? t('core.who.someoneElse');
  switch (error.code) {
    case 'already_done':
      return t('core.pressError.alreadyDone', { who });
    case 'already_running':
      return t('core.pressError.alreadyRunning', { who });
    case 'expired':
      return t('core.pressError.expired');
    case 'awaiting_approval':
      return t('core.pressError.awaiting');
    case 'already_scheduled':
      return t('core.pressError.scheduled');
    case 'decided':
      return t('core.pressError.decided');
    case 'step_up_required':
      return t('core.pressError.stepUp');
    case 'frozen': {
      // In English the server names who froze the presses and since when (an ISO time): said as a
      // local time. In another language the message is the code's text (a sentence already).
      const reason = currentLocale() === 'en' ? error.message.replace(ISO_TIME, (iso) => absoluteTime(Date.parse(iso))) : error.message.replace(/[.。]$/, '');
      return sentence(t('core.pressError.frozen', { reason }));
    }
    default:
      return sentence(error.message);
  }
}

const ISO_TIME = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z\b/g;

/** Only these can be pressed; the others show why not. */
export const pressable = (phase: ActionPhase): boolean => phase === 'ready' || phase === 'failed';

/** Whether the countdown still means something (it stops once the action can never run again). */
export const counting = (phase: ActionPhase): boolean => phase !== 'done' && phase !== 'expired' && phase !== 'not_chosen';

/**
 * When every live webhook action of an event expires at the same moment, the event shows that
 * countdown once rather than beside each button.
 */
export function sharedExpiry(actions: readonly ActionDto[]): string | null {
  const hooks = actions.filter((a) => !a.external);
  if (hooks.length < 2) return null;
  const first = hooks[0]!.expiresAt;
  return hooks.every((a) => a.expiresAt === first) ? first : null;
}

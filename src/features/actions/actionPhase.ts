/** What a webhook action's row shows, decided in one place (pure: unit-tested). */
import type { ActionDto } from '../../../contract/api.ts';
import { absoluteTime } from '../../lib/time.ts';

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

export { pressRefusal } from '../../../contract/api.ts';

/**
 * Why a notification's button did not open the confirm step (the action changed since the push), in
 * words for the event's page; null: open it.
 */
export function confirmBlocked(buttonText: string, phase: ActionPhase, refusal: string | null, reply = false): string | null {
  if (refusal) return `“${buttonText}”: ${refusal.toLowerCase()}. Nothing was sent.`;
  switch (phase) {
    case 'expired':
      return `“${buttonText}” has expired. Nothing was sent.`;
    case 'done':
      return reply ? `“${buttonText}” is already the answer to this question.` : `“${buttonText}” already ran: it is done.`;
    case 'running':
      return `“${buttonText}” is running now.`;
    case 'scheduled':
      return `“${buttonText}” is already scheduled to be sent.`;
    case 'awaiting':
      return `“${buttonText}” is waiting for approval.`;
    case 'offline':
      return `You are offline: “${buttonText}” needs the server. Nothing was sent.`;
    case 'not_chosen':
      return `“${buttonText}” was not chosen: someone already answered this question.`;
    default:
      return null;
  }
}

/** A refused or failed press in a sentence (never a raw code), naming the teammate when one is known. */
export function pressErrorSentence(error: { code?: string; message: string }, action: Pick<ActionDto, 'lastAttempt'>): string {
  const who = action.lastAttempt?.pressedBy ?? 'Someone else';
  switch (error.code) {
    case 'already_done':
      return `Already done by ${who}. Nothing was sent.`;
    case 'already_running':
      return `${who} is pressing this now. Nothing was sent.`;
    case 'expired':
      return 'This action has expired. Nothing was sent.';
    case 'awaiting_approval':
      return 'Someone already asked for this: it is waiting for approval. Nothing more was sent.';
    case 'already_scheduled':
      return 'It is already scheduled to be sent. Nothing more was sent.';
    case 'decided':
      return 'Someone already answered this question. Your answer was not recorded.';
    case 'step_up_required':
      return 'Confirm it’s you first. Nothing was sent.';
    case 'frozen':
      // The server names who froze the presses and since when (an ISO time): said as a local time.
      return sentence(`${error.message.replace(ISO_TIME, (iso) => absoluteTime(Date.parse(iso)))}. Nothing was sent`);
    default:
      return sentence(error.message);
  }
}

const ISO_TIME = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z\b/g;

/** A message as a sentence: a capital first letter and a full stop. */
export function sentence(message: string): string {
  const text = message.trim();
  if (text === '') return text;
  const capital = text[0]!.toUpperCase() + text.slice(1);
  return /[.!?…]$/.test(capital) ? capital : `${capital}.`;
}

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

/** What teammates did while a confirm dialog is open (pure: unit-tested); loaded with the dialog. */
import type { ActionDto } from '../../../contract/api.ts';
import { t } from '../../i18n/i18n.ts';

/**
 * What teammates did while this person's confirm dialog is open (CONTRACT §15): it follows the live
 * stream, says so in words, and `blocks` the confirm button. `mine`: this person's own press is on its
 * way (then the dialog is theirs to finish). `otherAnswer`: another reply of the event's question was
 * chosen meanwhile (§11), by whom. Null: nothing changed.
 */
export function teammateNote(
  action: Pick<ActionDto, 'state' | 'repeat' | 'lastAttempt'> & { reply?: boolean },
  remainingMs: number,
  mine: boolean,
  otherAnswer: { by: string; buttonText: string } | null = null,
): { text: string; blocks: boolean } | null {
  if (mine) return null;
  const who = action.lastAttempt?.pressedBy ?? t('core.who.Someone');
  if (otherAnswer) return { text: t('core.teammate.otherAnswer', { who: otherAnswer.by, button: otherAnswer.buttonText }), blocks: true };
  if (action.state === 'running') return { text: t('core.teammate.pressing', { who }), blocks: true };
  if (action.state === 'succeeded' && !action.repeat) return { text: t(action.reply ? 'core.teammate.answered' : 'core.teammate.done', { who }), blocks: true };
  if (remainingMs <= 0) return { text: t('core.action.expired'), blocks: true };
  return null;
}

/** What teammates did while a confirm dialog is open (pure: unit-tested); loaded with the dialog. */
import type { ActionDto } from '../../../contract/api.ts';

/**
 * What teammates did while this person's confirm dialog is open (CONTRACT §15): it follows the live
 * stream, says so in words, and `blocks` the confirm button. `mine`: this person's own press is on its
 * way (then the dialog is theirs to finish). Null: nothing changed.
 */
export function teammateNote(
  action: Pick<ActionDto, 'state' | 'repeat' | 'lastAttempt'>,
  remainingMs: number,
  mine: boolean,
): { text: string; blocks: boolean } | null {
  if (mine) return null;
  const who = action.lastAttempt?.pressedBy ?? 'Someone';
  if (action.state === 'running') return { text: `${who} is pressing this now.`, blocks: true };
  if (action.state === 'succeeded' && !action.repeat) return { text: `Already done by ${who}.`, blocks: true };
  if (remainingMs <= 0) return { text: 'This action has expired.', blocks: true };
  return null;
}

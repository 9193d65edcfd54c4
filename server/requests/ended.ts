/**
 * A press request the server itself ended unsent (nobody approved it in time, its action expired
 * during its delay, presses were frozen): on the Activity page (by "switchboard", with why), and live.
 * One wording for the scheduler and for an answer that comes after the request's time.
 */
import { audit, SERVER_ACTOR } from '../audit/log.ts';
import type { PressRequestRow, StoreRepositories } from '../store/types.ts';

export async function endedByServer(tx: StoreRepositories, r: PressRequestRow, kind: 'action.request_expired' | 'action.cancelled', why: string, at: number) {
  const event = await tx.events.bySeq(r.event_seq);
  if (!event) return;
  const buttonText = event.actions.find((a) => a.key === r.action_key)?.buttonText ?? r.action_key;
  await audit(tx, r.project_id, SERVER_ACTOR, kind, event.id, at, { action: r.action_key, buttonText, eventName: event.name, request: r.id, why });
  await tx.events.recordLive('action', r.event_seq, event.test, at);
}

/** Why the scheduler (or a late answer) ends a request nobody approved. */
export const NOBODY_APPROVED = 'nobody approved it in time';

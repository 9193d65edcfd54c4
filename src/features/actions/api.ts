import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { TriggerResult } from '../../../contract/api.ts';
import type { TriggerWaiting } from '../../../contract/api.ts';
import { api } from '../../lib/api.ts';
import { observeServerTime } from '../../lib/clock.ts';
import { updateEvent } from '../feed/liveCache.ts';

/** A press: its outcome (200), or — when the policy makes it wait — the request it became (202). */
export async function triggerAction(eventId: string, key: string): Promise<TriggerResult | TriggerWaiting> {
  const sentAt = Date.now();
  const result = await api<TriggerResult | TriggerWaiting>(`/api/events/${encodeURIComponent(eventId)}/actions/${encodeURIComponent(key)}/trigger`, { method: 'POST' });
  observeServerTime(result.serverTime, sentAt, Date.now());
  return result;
}

/** Presses a webhook action. The outcome lands in the cached event (and reaches other devices live). */
export function useTriggerAction(eventId: string, key: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationKey: ['actions', 'trigger', eventId, key],
    mutationFn: () => triggerAction(eventId, key),
    // Only this action changes: the rest of the event is whatever the cache holds now (the live
    // channel may have brought newer states of the other actions while this press ran).
    onSuccess: (result) => {
      updateEvent(qc, eventId, (e) => ({ ...e, actions: e.actions.map((a) => (a.key === key ? result.action : a)) }));
    },
  });
}

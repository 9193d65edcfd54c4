import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { EventDto, TriggerResult } from '../../../contract/api.ts';
import { api } from '../../lib/api.ts';
import { observeServerTime } from '../../lib/clock.ts';
import { replaceEvent } from '../feed/liveCache.ts';

export async function triggerAction(eventId: string, key: string): Promise<TriggerResult> {
  const sentAt = Date.now();
  const result = await api<TriggerResult>(`/api/events/${encodeURIComponent(eventId)}/actions/${encodeURIComponent(key)}/trigger`, { method: 'POST' });
  observeServerTime(result.serverTime, sentAt, Date.now());
  return result;
}

/** Presses a webhook action. The outcome lands in the cached event (and reaches other devices live). */
export function useTriggerAction(event: EventDto, key: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationKey: ['actions', 'trigger', event.id, key],
    mutationFn: () => triggerAction(event.id, key),
    onSuccess: (result) => {
      replaceEvent(qc, { ...event, actions: event.actions.map((a) => (a.key === key ? result.action : a)) });
    },
  });
}

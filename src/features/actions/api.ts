import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { AuthStatus, TriggerResult } from '../../../contract/api.ts';
import type { TriggerWaiting } from '../../../contract/api.ts';
import { api } from '../../lib/api.ts';
import { observeServerTime } from '../../lib/clock.ts';
import { authKeys } from '../auth/api.ts';
import { updateEvent } from '../feed/liveCache.ts';

/**
 * A press: its outcome (200), or — when the policy makes it wait — the request it became (202).
 * `input`: the text typed in the confirm step (an action with `input`, §11), sent as `{"input": …}`.
 */
export async function triggerAction(eventId: string, key: string, input: string | null = null): Promise<TriggerResult | TriggerWaiting> {
  const sentAt = Date.now();
  const result = await api<TriggerResult | TriggerWaiting>(`/api/events/${encodeURIComponent(eventId)}/actions/${encodeURIComponent(key)}/trigger`, {
    method: 'POST',
    json: input === null ? {} : { input },
  });
  observeServerTime(result.serverTime, sentAt, Date.now());
  return result;
}

/**
 * Presses a webhook or reply action (the variable: what was typed, or null). The outcome lands in the
 * cached event (and reaches other devices live).
 */
export function useTriggerAction(eventId: string, key: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationKey: ['actions', 'trigger', eventId, key],
    mutationFn: (input: string | null = null) => triggerAction(eventId, key, input),
    // Only this action changes: the rest of the event is whatever the cache holds now (the live
    // channel may have brought newer states of the other actions while this press ran) — except a
    // reply that answered the question: the event's decision is this person's answer (the live
    // channel brings the same a moment later).
    onSuccess: (result) => {
      const me = qc.getQueryData<AuthStatus>(authKeys.status)?.user;
      const answered = result.action.reply && 'attempt' in result && result.attempt.outcome === 'succeeded' && me;
      updateEvent(qc, eventId, (e) => ({
        ...e,
        actions: e.actions.map((a) => (a.key === key ? result.action : a)),
        ...(answered && e.decision === null
          ? { decision: { key, input: result.attempt.input, by: { id: me.id, email: me.email, name: me.name }, at: result.attempt.finishedAt ?? result.serverTime } }
          : {}),
      }));
    },
  });
}

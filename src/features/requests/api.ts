/**
 * Answering a press that waits (§10) from the PWA: approve, deny (with a reason), cancel. Each answer
 * brings the action as it now stands into the cached event; every other open app hears it live.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { DecisionAnswer } from '../../../contract/api.ts';
import { api } from '../../lib/api.ts';
import { observeServerTime } from '../../lib/clock.ts';
import { updateEvent } from '../feed/liveCache.ts';

type Decision = { kind: 'approve' } | { kind: 'deny'; reason: string } | { kind: 'cancel' };

async function decide(eventId: string, key: string, requestId: string, d: Decision): Promise<DecisionAnswer> {
  const sentAt = Date.now();
  const url =
    d.kind === 'cancel'
      ? `/api/events/${encodeURIComponent(eventId)}/actions/${encodeURIComponent(key)}/cancel`
      : `/api/approvals/${encodeURIComponent(requestId)}/${d.kind}`;
  const answer = await api<DecisionAnswer>(url, { method: 'POST', json: d.kind === 'deny' && d.reason.trim() ? { reason: d.reason.trim() } : {} });
  observeServerTime(answer.serverTime, sentAt, Date.now());
  return answer;
}

/** Approve, deny or cancel the press request of one action of an event. */
export function useDecision(eventId: string, key: string, requestId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationKey: ['requests', requestId],
    mutationFn: (d: Decision) => decide(eventId, key, requestId, d),
    onSuccess: (answer) => updateEvent(qc, eventId, (e) => ({ ...e, actions: e.actions.map((a) => (a.key === key ? answer.action : a)) })),
  });
}

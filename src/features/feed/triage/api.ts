/**
 * Working an event together (§12) as the PWA asks for it: acknowledge, resolve, reopen, assign,
 * snooze and notes. Each answer (the event as it is now) goes into every cache that shows the event;
 * every other open app hears of it on the live stream. Who the people are: ./people.ts.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { EventDetail, EventDto } from '../../../../contract/api.ts';
import type { ActivityDto, PersonDto } from '../../../../contract/triage.ts';
import { api } from '../../../lib/api.ts';
import { projectApi, useProjectSlug } from '../../projects/current.ts';
import { eventKeys } from '../api.ts';
import { replaceEvent } from '../liveCache.ts';

/** One change to an event's state, assignee or snooze. */
export type TriageChange =
  | { kind: 'ack' }
  | { kind: 'resolve' }
  | { kind: 'reopen' }
  | { kind: 'assign'; userId: string | null }
  | { kind: 'snooze'; until: string }
  | { kind: 'unsnooze' };

function request(change: TriageChange): { path: string; init: { method: string; json?: unknown } } {
  switch (change.kind) {
    case 'assign':
      return { path: 'assign', init: { method: 'POST', json: { userId: change.userId } } };
    case 'snooze':
      return { path: 'snooze', init: { method: 'POST', json: { until: change.until } } };
    case 'unsnooze':
      return { path: 'snooze', init: { method: 'DELETE' } };
    default:
      return { path: change.kind, init: { method: 'POST' } };
  }
}

/** Sends one change of `project`'s event (the routes of `default` are the project's too). */
export function sendTriage(project: string, eventId: string, change: TriageChange): Promise<EventDto> {
  const { path, init } = request(change);
  return api<EventDto>(projectApi(project, `events/${encodeURIComponent(eventId)}/${path}`), init);
}

/** Changes an event of the current project (or of its project, beside All projects); the answer lands in the caches. */
export function useTriage(eventId: string) {
  const qc = useQueryClient();
  const slug = useProjectSlug();
  return useMutation({
    mutationKey: ['events', 'triage', eventId],
    mutationFn: (change: TriageChange) => sendTriage(slug, eventId, change),
    onSuccess: (updated) => replaceEvent(qc, updated, slug),
  });
}

/** Adds a note; it is on the event's timeline at once (the live stream's refetch confirms it). */
export function useAddNote(eventId: string) {
  const qc = useQueryClient();
  const slug = useProjectSlug();
  return useMutation({
    mutationFn: (text: string) =>
      api<{ note: ActivityDto; mentioned: PersonDto[] }>(projectApi(slug, `events/${encodeURIComponent(eventId)}/notes`), { method: 'POST', json: { text } }),
    onSuccess: ({ note }) => {
      qc.setQueryData<EventDetail>(eventKeys.detail(eventId), (d) => (d && !d.activity.some((a) => a.id === note.id) ? { ...d, activity: [...d.activity, note] } : d));
      void qc.invalidateQueries({ queryKey: eventKeys.detail(eventId), exact: true });
    },
  });
}

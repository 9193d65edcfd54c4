/**
 * Working an event together (§12) as the PWA asks for it: acknowledge, resolve, reopen, assign,
 * snooze and notes. Each answer (the event as it is now) goes into every cache that shows the event;
 * every other open app hears of it on the live stream.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import type { EventDetail, EventDto, MemberDto } from '../../../../contract/api.ts';
import type { ActivityDto, PersonDto } from '../../../../contract/triage.ts';
import { api } from '../../../lib/api.ts';
import { useAuthStatus } from '../../auth/api.ts';
import { projectKeys, useProjectRole } from '../../projects/api.ts';
import { projectApi, useProjectSlug } from '../../projects/current.ts';
import { eventKeys } from '../api.ts';
import { replaceEvent } from '../liveCache.ts';
import { personLabel } from './words.ts';

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

/** Whether this person may change events of the current project: members and admins (viewers read). */
export function useMayTriage(): boolean {
  const role = useProjectRole();
  return role === 'member' || role === 'admin';
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

/**
 * The project's people (Settings → Members' query, its cache shared): only admins may read the list,
 * so for anyone else it is empty.
 */
export function useProjectPeople(): PersonDto[] {
  const slug = useProjectSlug();
  const admin = useProjectRole() === 'admin';
  const members = useQuery({
    queryKey: projectKeys.members(slug),
    // The same request and shape as projects/manage.ts `useMembers` (one cache entry for both).
    queryFn: () => api<{ members: MemberDto[] }>(projectApi(slug, 'members')),
    select: (d) => d.members,
    enabled: admin,
    staleTime: 5 * 60_000,
  });
  return useMemo(() => (members.data ?? []).map((m) => ({ id: m.userId, email: m.email, name: m.name })), [members.data]);
}

/** The signed-in person, as a person an event can be assigned to. */
export function useMe(): PersonDto | null {
  const user = useAuthStatus().data?.user;
  return useMemo(() => (user ? { id: user.id, email: user.email, name: user.name } : null), [user]);
}

/**
 * A person's name from the email an event's state carries (`acknowledged.by`, `handled.by`): known
 * for oneself and, for admins, for the project's members; else the email itself.
 */
export function useNameOf(): (email: string) => string {
  const people = useProjectPeople();
  const me = useMe();
  return useCallback(
    (email: string) => {
      const p = (me?.email === email ? me : null) ?? people.find((x) => x.email === email);
      return p ? personLabel(p) : email;
    },
    [people, me],
  );
}

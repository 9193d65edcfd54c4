/** The people an event's state names (§12): oneself, and for admins the project's members. */
import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import type { MemberDto } from '../../../../contract/api.ts';
import type { PersonDto } from '../../../../contract/triage.ts';
import { api } from '../../../lib/api.ts';
import { useAuthStatus } from '../../auth/api.ts';
import { projectKeys, useProjectRole } from '../../projects/api.ts';
import { projectApi, useProjectSlug } from '../../projects/current.ts';
import { personLabel } from './words.ts';

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

/** Members, invites, the audit log and notification choices of a project, as the PWA asks for them. */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AuditKind, AuditPage, PressOutcome, CreatedInvite, InviteInfo, InvitePage, Me, MemberDto, ProjectRole } from '../../../contract/api.ts';
import { api } from '../../lib/api.ts';
import { apiKeyKeys } from '../settings/api.ts';
import { projectKeys } from './api.ts';
import { projectApi } from './current.ts';

export function useMembers(slug: string, enabled: boolean) {
  return useQuery({
    queryKey: projectKeys.members(slug),
    queryFn: () => api<{ members: MemberDto[] }>(projectApi(slug, 'members')),
    select: (d) => d.members,
    enabled,
  });
}

/** Pending invites, newest first, a page at a time (fetchNextPage for the next). */
export function useInvites(slug: string, enabled: boolean) {
  return useInfiniteQuery({
    queryKey: projectKeys.invites(slug),
    queryFn: ({ pageParam }) => {
      const params = new URLSearchParams({ limit: String(INVITE_PAGE) });
      if (pageParam) params.set('cursor', pageParam);
      return api<InvitePage>(projectApi(slug, `invites?${params}`));
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last: InvitePage) => last.nextCursor ?? null,
    enabled,
  });
}
export const INVITE_PAGE = 50;

export function useProjectMutations(slug: string) {
  const qc = useQueryClient();
  const refresh = () => Promise.all([qc.invalidateQueries({ queryKey: projectKeys.members(slug) }), qc.invalidateQueries({ queryKey: projectKeys.invites(slug) })]);
  return {
    invite: useMutation({
      mutationFn: (role: ProjectRole) => api<CreatedInvite>(projectApi(slug, 'invites'), { method: 'POST', json: { role } }),
      onSuccess: refresh,
    }),
    revokeInvite: useMutation({
      mutationFn: (id: string) => api<void>(projectApi(slug, `invites/${encodeURIComponent(id)}`), { method: 'DELETE' }),
      onSuccess: refresh,
    }),
    setRole: useMutation({
      mutationFn: ({ userId, role }: { userId: string; role: ProjectRole }) =>
        api<MemberDto>(projectApi(slug, `members/${encodeURIComponent(userId)}`), { method: 'PATCH', json: { role } }),
      onSettled: refresh,
    }),
    /** Removes a member; with revokeKeys, also revokes the active keys of this project they made. */
    remove: useMutation({
      mutationFn: ({ userId, revokeKeys }: { userId: string; revokeKeys: boolean }) =>
        api<void>(projectApi(slug, `members/${encodeURIComponent(userId)}${revokeKeys ? '?revokeKeys=true' : ''}`), { method: 'DELETE' }),
      onSuccess: (_, { revokeKeys }) =>
        Promise.all([refresh(), revokeKeys ? qc.invalidateQueries({ queryKey: apiKeyKeys.list(slug) }) : null]),
    }),
    setOwner: useMutation({
      mutationFn: ({ userId, owner }: { userId: string; owner: boolean }) =>
        api<{ id: string; owner: boolean }>(`/api/users/${encodeURIComponent(userId)}/owner`, { method: 'PUT', json: { owner } }),
      onSettled: refresh,
    }),
    resetLink: useMutation({
      mutationFn: (userId: string) => api<{ url: string; expiresAt: string }>(projectApi(slug, `members/${encodeURIComponent(userId)}/password-reset`), { method: 'POST' }),
    }),
  };
}

export function useAudit(slug: string, person: string | null, kind: AuditKind | null, outcome: PressOutcome | null = null) {
  return useInfiniteQuery({
    queryKey: projectKeys.audit(slug, person, kind, outcome),
    queryFn: ({ pageParam }) => {
      const params = new URLSearchParams({ limit: '50' });
      if (pageParam) params.set('cursor', pageParam);
      if (person) params.set('person', person);
      if (kind) params.set('kind', kind);
      if (outcome) params.set('outcome', outcome);
      return api<AuditPage>(projectApi(slug, `audit?${params}`));
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last: AuditPage) => last.nextCursor,
  });
}

export interface NotificationChoices {
  enabled: boolean;
  muted: string[];
}

export function useNotificationChoices(slug: string) {
  const qc = useQueryClient();
  const query = useQuery({ queryKey: projectKeys.notifications(slug), queryFn: () => api<NotificationChoices>(projectApi(slug, 'notifications')) });
  const save = useMutation({
    mutationFn: (next: NotificationChoices) => api<NotificationChoices>(projectApi(slug, 'notifications'), { method: 'PUT', json: next }),
    onSuccess: (saved) => qc.setQueryData(projectKeys.notifications(slug), saved),
  });
  return { query, save };
}

export const lookupInvite = (token: string) => api<InviteInfo>('/api/invites/lookup', { method: 'POST', json: { token } });

export const acceptInvite = (body: { token: string; name?: string; email?: string; password?: string }) =>
  api<{ me: Me; project: { slug: string; name: string } }>('/api/invites/accept', { method: 'POST', json: body });

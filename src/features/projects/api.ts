/**
 * The person's projects and their role in the current one: what the first screen needs. Members,
 * invites, the audit log and notification choices are ./manage.ts (loaded with the pages that use them).
 */
import { useQuery } from '@tanstack/react-query';
import { createContext, useContext } from 'react';
import type { AuditKind, PressOutcome, ProjectDto, ProjectRole } from '../../../contract/api.ts';
import { api } from '../../lib/api.ts';
import { useProjectSlug } from './current.ts';

export const projectKeys = {
  list: ['projects', 'list'] as const,
  members: (slug: string) => ['projects', slug, 'members'] as const,
  invites: (slug: string) => ['projects', slug, 'invites'] as const,
  audit: (slug: string, person: string | null, kind: AuditKind | null, outcome: PressOutcome | null) => ['projects', slug, 'audit', person, kind, outcome] as const,
  notifications: (slug: string) => ['projects', slug, 'notifications'] as const,
  /** The first-run checklist's progress (./onboarding): a live event or press moves it at once. */
  progress: (slug: string) => ['projects', slug, 'progress'] as const,
};

/** SignedIn's observer of the project list, handed down (see SharedAuthStatus). */
export const SharedProjects = createContext<ReturnType<typeof useProjectsQuery> | null>(null);

/** The project list, for the signed-in screens (all inside SignedIn's SharedProjects). */
export function useProjects() {
  const shared = useContext(SharedProjects);
  if (shared === null) throw new Error('useProjects outside a signed-in screen (SharedProjects)');
  return shared;
}

/** The project list's query. */
export const projectsQuery = { queryKey: projectKeys.list, queryFn: () => api<{ projects: ProjectDto[] }>('/api/projects'), staleTime: 30_000 };

export function useProjectsQuery() {
  return useQuery({ ...projectsQuery, select: (d) => d.projects });
}

/** The current project as the person sees it (with their role), once the list is in. */
export function useCurrentProject(): ProjectDto | undefined {
  const slug = useProjectSlug();
  return useProjects().data?.find((p) => p.slug === slug);
}

/** The person's role in the current project (undefined while unknown: nothing is offered yet). */
export const useProjectRole = (): ProjectRole | undefined => useCurrentProject()?.role;

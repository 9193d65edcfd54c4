/**
 * A project's press policy as the PWA reads and changes it, and the step-up that proves who is pressing.
 * Every member reads the policy (the confirm step says what a press will require, the feed says when
 * presses are frozen); admins change it in Settings → Policy (./change.ts).
 */
import { useQuery } from '@tanstack/react-query';
import type { Policy } from '../../../contract/policy.ts';
import { ApiFailure, api } from '../../lib/api.ts';
import { projectApi } from '../projects/current.ts';

export const policyKeys = { of: (slug: string) => ['projects', slug, 'policy'] as const };

/** How often the policy is asked for again while it is shown (a freeze reaches every screen within this). */
export const POLICY_REFRESH_MS = 30_000;

/** `watch`: ask again every 30 s while mounted (the feed's banner); otherwise on window focus once stale. */
export function usePolicy(slug: string, { watch = false, enabled = true }: { watch?: boolean; enabled?: boolean } = {}) {
  return useQuery({
    queryKey: policyKeys.of(slug),
    queryFn: () => api<Policy>(projectApi(slug, 'policy')),
    staleTime: POLICY_REFRESH_MS,
    refetchInterval: watch ? POLICY_REFRESH_MS : false,
    refetchOnWindowFocus: watch ? 'always' : true,
    enabled,
  });
}

/** Proves who is pressing (the password again); `project` names where the proof is recorded. */
export const stepUp = (password: string, project: string) =>
  api<{ provenAt: string }>('/api/auth/step-up', { method: 'POST', json: { password, project } });

/** The press needs the person to confirm who they are first: not a session that ended. */
export const isStepUpRequired = (error: unknown): boolean => error instanceof ApiFailure && error.status === 401 && error.code === 'step_up_required';

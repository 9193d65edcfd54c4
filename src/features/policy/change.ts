/** An admin's change of the project's press policy (Settings → Policy); the answer is the policy now. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Policy, PolicyChange } from '../../../contract/policy.ts';
import { api } from '../../lib/api.ts';
import { projectApi } from '../projects/current.ts';
import { policyKeys } from './api.ts';

export function useChangePolicy(slug: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (change: PolicyChange) => api<Policy>(projectApi(slug, 'policy'), { method: 'PUT', json: change }),
    onSuccess: (policy) => qc.setQueryData(policyKeys.of(slug), policy),
  });
}

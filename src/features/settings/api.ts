import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ApiKeyDto, CreatedApiKey } from '../../../contract/api.ts';
import type { CreateApiKeyBody } from '../../../contract/auth.ts';
import { api } from '../../lib/api.ts';
import { createStore } from '../../lib/store.ts';
import { projectApi, useProjectSlug } from '../projects/current.ts';

export const apiKeyKeys = { list: (project: string) => ['apiKeys', 'list', project] as const };

/** The keys of a project (the current one unless told). */
export function useApiKeys(slug?: string) {
  const current = useProjectSlug();
  const project = slug ?? current;
  return useQuery({
    queryKey: apiKeyKeys.list(project),
    queryFn: () => api<{ keys: ApiKeyDto[] }>(projectApi(project, 'keys')),
    select: (d) => d.keys,
  });
}

/**
 * The last key made in this tab, so the first-run snippets can be pasted as they are. Memory only:
 * it is gone on reload (a secret is never written to storage), and on sign-out.
 */
export const keyMadeHere = createStore<{ name: string; key: string } | null>(null);

export function useCreateApiKey() {
  const qc = useQueryClient();
  const project = useProjectSlug();
  return useMutation({
    mutationFn: (body: CreateApiKeyBody) => api<CreatedApiKey>(projectApi(project, 'keys'), { method: 'POST', json: body }),
    onSuccess: (created) => {
      keyMadeHere.set({ name: created.name, key: created.key });
      return qc.invalidateQueries({ queryKey: apiKeyKeys.list(project) });
    },
  });
}

export function useRevokeApiKey() {
  const qc = useQueryClient();
  const project = useProjectSlug();
  return useMutation({
    mutationFn: (id: string) => api<void>(projectApi(project, `keys/${encodeURIComponent(id)}`), { method: 'DELETE' }),
    onSuccess: () => qc.invalidateQueries({ queryKey: apiKeyKeys.list(project) }),
  });
}

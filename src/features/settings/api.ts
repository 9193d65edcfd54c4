import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ApiKeyDto, CreatedApiKey } from '../../../contract/api.ts';
import type { CreateApiKeyBody } from '../../../contract/auth.ts';
import { api } from '../../lib/api.ts';
import { projectApi, useProjectSlug } from '../projects/current.ts';
import { keyMadeHere } from './keyMadeHere.ts';

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

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ApiKeyDto, CreatedApiKey } from '../../../contract/api.ts';
import type { CreateApiKeyBody } from '../../../contract/auth.ts';
import { api } from '../../lib/api.ts';

export const apiKeyKeys = { list: ['apiKeys', 'list'] as const };

export function useApiKeys() {
  return useQuery({
    queryKey: apiKeyKeys.list,
    queryFn: () => api<{ keys: ApiKeyDto[] }>('/api/keys'),
    select: (d) => d.keys,
  });
}

export function useCreateApiKey() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateApiKeyBody) => api<CreatedApiKey>('/api/keys', { method: 'POST', json: body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: apiKeyKeys.list }),
  });
}

export function useRevokeApiKey() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/api/keys/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => qc.invalidateQueries({ queryKey: apiKeyKeys.list }),
  });
}

/** Settings → Integrations (CONTRACT §13): a project's integrations, and adding, rotating and deleting one. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CreatedIntegration, CreateIntegrationBody, IntegrationList, IntegrationSecretBody } from '../../../contract/integrations.ts';
import { api } from '../../lib/api.ts';
import { projectApi, useProjectSlug } from '../projects/current.ts';

export const integrationKeys = { list: (project: string) => ['integrations', 'list', project] as const };

const path = (project: string, id?: string, rest = '') =>
  projectApi(project, id === undefined ? 'integrations' : `integrations/${encodeURIComponent(id)}${rest}`);

/** The current project's integrations (admins only; never their URLs). */
export function useIntegrations() {
  const project = useProjectSlug();
  return useQuery({
    queryKey: integrationKeys.list(project),
    queryFn: () => api<IntegrationList>(path(project)),
    select: (d) => d.integrations,
  });
}

/** A new integration: the answer holds its URL, shown this once. */
export function useCreateIntegration() {
  const qc = useQueryClient();
  const project = useProjectSlug();
  return useMutation({
    mutationFn: (body: CreateIntegrationBody) => api<CreatedIntegration>(path(project), { method: 'POST', json: body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: integrationKeys.list(project) }),
  });
}

/** A new URL for an integration; the old one stops working at once. */
export function useRotateIntegration() {
  const qc = useQueryClient();
  const project = useProjectSlug();
  return useMutation({
    mutationFn: (id: string) => api<CreatedIntegration>(path(project, id, '/rotate'), { method: 'POST', json: {} }),
    onSuccess: () => qc.invalidateQueries({ queryKey: integrationKeys.list(project) }),
  });
}

/** A signed integration's secret, set or replaced (Stripe's comes after its URL). */
export function useSetIntegrationSecret() {
  const qc = useQueryClient();
  const project = useProjectSlug();
  return useMutation({
    mutationFn: ({ id, secret }: { id: string; secret: string }) =>
      api<void>(path(project, id, '/secret'), { method: 'PUT', json: { secret } satisfies IntegrationSecretBody }),
    onSuccess: () => qc.invalidateQueries({ queryKey: integrationKeys.list(project) }),
  });
}

export function useDeleteIntegration() {
  const qc = useQueryClient();
  const project = useProjectSlug();
  return useMutation({
    mutationFn: (id: string) => api<void>(path(project, id), { method: 'DELETE' }),
    onSuccess: () => qc.invalidateQueries({ queryKey: integrationKeys.list(project) }),
  });
}

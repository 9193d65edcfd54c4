/** The person's passkeys as the app reads and changes them (Settings → Account → Passkeys). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { PasskeyDto, PasskeyList } from '../../../contract/passkeys.ts';
import { api } from '../../lib/api.ts';
import { withTexts } from '../../lib/lazy.ts';

export const passkeyKeys = { mine: ['account', 'passkeys'] as const };

export function usePasskeys({ enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({ queryKey: passkeyKeys.mine, queryFn: () => api<PasskeyList>('/api/account/passkeys'), staleTime: 60_000, enabled });
}

export function useAddPasskey() {
  const qc = useQueryClient();
  return useMutation({
    // The ceremony (and the WebAuthn library with it) loads when a passkey is added.
    mutationFn: async (name?: string) => (await withTexts(() => import('./ceremony.ts'))).addPasskey(name),
    onSuccess: () => qc.invalidateQueries({ queryKey: passkeyKeys.mine }),
  });
}

export function useRenamePasskey() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, name }: { id: string; name: string }) => api<PasskeyDto>(`/api/account/passkeys/${encodeURIComponent(id)}`, { method: 'PATCH', json: { name } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: passkeyKeys.mine }),
  });
}

export function useRemovePasskey() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/api/account/passkeys/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => qc.invalidateQueries({ queryKey: passkeyKeys.mine }),
  });
}

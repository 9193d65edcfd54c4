import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AuthStatus, Me } from '../../../contract/api.ts';
import type { SetupBody, SignInBody } from '../../../contract/auth.ts';
import { api } from '../../lib/api.ts';
import { forgetOfflineCopies } from '../../lib/offline.ts';

export const authKeys = { status: ['auth', 'status'] as const };

/** Forgets everything of the previous account but the auth status itself (its observers stay attached). */
function forgetOtherQueries(qc: ReturnType<typeof useQueryClient>) {
  qc.removeQueries({ predicate: (q) => q.queryKey[0] !== authKeys.status[0] });
}

export const getAuthStatus = () => api<AuthStatus>('/api/auth/status');

export function useAuthStatus() {
  return useQuery({ queryKey: authKeys.status, queryFn: getAuthStatus, staleTime: 60_000 });
}

function useAuthMutation<TBody>(path: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: TBody) => api<Me>(path, { method: 'POST', json: body }),
    onSuccess: (user) => {
      forgetOtherQueries(qc);
      qc.setQueryData<AuthStatus>(authKeys.status, { setupRequired: false, user });
    },
  });
}

export const useSignIn = () => useAuthMutation<SignInBody>('/api/auth/sign-in');
export const useSetup = () => useAuthMutation<SetupBody>('/api/auth/setup');

export function useSignOut() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      await api<void>('/api/auth/sign-out', { method: 'POST' });
      await forgetOfflineCopies();
    },
    onSuccess: () => {
      forgetOtherQueries(qc);
      qc.setQueryData<AuthStatus>(authKeys.status, { setupRequired: false, user: null });
    },
  });
}

/** Signing in (password, passkey), the owner's setup and signing out: the sign-in page's and Settings' (not the first screen's). */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { AuthStatus, Me } from '../../../contract/api.ts';
import type { SignInBody } from '../../../contract/auth.ts';
import type { OwnerSetupBody } from '../../../contract/projects.ts';
import { ApiFailure, api } from '../../lib/api.ts';
import { keyMadeHere } from '../settings/keyMadeHere.ts';
import { authKeys, forgetOtherQueries } from './api.ts';
import { SIGNED_OUT, flushPendingSignOut, forgetSession, sendSignOut } from './session.ts';
import { withTexts } from '../../lib/lazy.ts';

function useAuthMutation<TBody>(path: string, send: (body: TBody) => Promise<Me> = (body) => api<Me>(path, { method: 'POST', json: body })) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: TBody) => {
      // The old session ends on the server before a new one begins (its cookie is about to be replaced).
      if (!(await flushPendingSignOut())) throw new ApiFailure(0, 'network', 'You are offline or the server cannot be reached.');
      return send(body);
    },
    onSuccess: (user) => {
      forgetOtherQueries(qc);
      // The installation's settings came with the signed-out status; the session's expiry follows.
      qc.setQueryData<AuthStatus>(authKeys.status, (old) => ({ ...SIGNED_OUT, ...old, setupRequired: false, user }));
      void qc.invalidateQueries({ queryKey: authKeys.status });
    },
  });
}

export const useSignIn = () => useAuthMutation<SignInBody>('/api/auth/sign-in');
export const useSetup = () => useAuthMutation<OwnerSetupBody>('/api/auth/setup');
/** Signs in with a passkey the browser offers; the WebAuthn code loads on the first press. */
export const usePasskeySignIn = () => useAuthMutation<void>('/api/auth/passkey', async () => (await withTexts(() => import('../passkeys/ceremony.ts'))).signInWithPasskey());

/** Signing out forgets this device's copies first, then tells the server (later, if offline). */
export function useSignOut() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      // Push code loads when needed (sign-out, Settings), not with the first screen; the service worker precaches it.
      await (await withTexts(() => import('../push/api.ts'))).forgetPushOnThisDevice();
      await forgetSession();
      await sendSignOut();
      // Again: an answer that was on its way while the session ended may have been kept meanwhile.
      await forgetSession();
    },
    onSettled: () => {
      keyMadeHere.set(null);
      forgetOtherQueries(qc);
      // The installation's own settings stay: the sign-in page that follows offers its single sign-on at once.
      qc.setQueryData<AuthStatus>(authKeys.status, (old) => ({
        ...SIGNED_OUT,
        setupRequired: false,
        remoteImages: old?.remoteImages ?? 'load',
        oidc: old?.oidc ?? null,
        passwordSignIn: old?.passwordSignIn ?? 'everyone',
      }));
    },
  });
}

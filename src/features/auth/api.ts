import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext } from 'react';
import type { AuthStatus, Me, PasswordSignIn, SsoSignIn } from '../../../contract/api.ts';
import type { SignInBody } from '../../../contract/auth.ts';
import type { OwnerSetupBody } from '../../../contract/projects.ts';
import { ApiFailure, api } from '../../lib/api.ts';
import { keyMadeHere } from '../settings/keyMadeHere.ts';
import { SIGNED_OUT, flushPendingSignOut, forgetSession, sendSignOut } from './session.ts';

export const authKeys = { status: ['auth', 'status'] as const };

/** Forgets everything of the previous account but the auth status itself (its observers stay attached). */
function forgetOtherQueries(qc: ReturnType<typeof useQueryClient>) {
  qc.removeQueries({ predicate: (q) => q.queryKey[0] !== authKeys.status[0] });
}

/** Who is signed in. A sign-out pressed offline is sent first; while it cannot be, nobody is. */
export async function getAuthStatus(): Promise<AuthStatus> {
  if (!(await flushPendingSignOut())) return SIGNED_OUT;
  const status = await api<AuthStatus>('/api/auth/status');
  if (!status.user) await forgetSession();
  return status;
}

/** The app's one observer of the auth status (App); everything below reads it through SharedAuthStatus. */
export function useAuthStatusQuery() {
  return useQuery(authStatusQuery);
}

/** The auth status query. */
export const authStatusQuery = { queryKey: authKeys.status, queryFn: getAuthStatus, staleTime: 60_000 };

/**
 * App's observer, handed down: a feed card's avatar, marks and menu read the status without an observer
 * each (each one subscribes and sets its own stale timer: ~80 of them on the first screen).
 */
export const SharedAuthStatus = createContext<ReturnType<typeof useAuthStatusQuery> | null>(null);

export function useAuthStatus() {
  const shared = useContext(SharedAuthStatus);
  // The provider sits at the app's root for its whole life: the same branch is taken on every render.
  // biome-ignore lint/correctness/useHookAtTopLevel: see above
  return shared ?? useAuthStatusQuery();
}

/** Whether event images load at once or only when tapped (REMOTE_IMAGES): each load tells the sender who looked. */
export function useRemoteImages(): AuthStatus['remoteImages'] {
  return useAuthStatus().data?.remoteImages ?? 'load';
}

export function useWebhookTimeoutMs(): number {
  return useAuthStatus().data?.webhookTimeoutMs ?? SIGNED_OUT.webhookTimeoutMs;
}

/**
 * How this server lets people sign in: its single sign-on (OIDC_NAME and where its button goes; null
 * without one) and who may use a password (`owners` alone with OIDC_ONLY=true).
 */
export function useSignInMethods(): { sso: SsoSignIn | null; passwordSignIn: PasswordSignIn } {
  const status = useAuthStatus().data;
  return { sso: status?.oidc ?? null, passwordSignIn: status?.passwordSignIn ?? 'everyone' };
}

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
export const usePasskeySignIn = () => useAuthMutation<void>('/api/auth/passkey', async () => (await import('../passkeys/ceremony.ts')).signInWithPasskey());

/** Signing out forgets this device's copies first, then tells the server (later, if offline). */
export function useSignOut() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      // Push code loads when needed (sign-out, Settings), not with the first screen; the service worker precaches it.
      await (await import('../push/api.ts')).forgetPushOnThisDevice();
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

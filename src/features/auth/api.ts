/** Who is signed in, as the whole app reads it. Signing in, up and out: ./mutations.ts. */
import { type QueryClient, useQuery } from '@tanstack/react-query';
import { createContext, useContext } from 'react';
import type { AuthStatus, PasswordSignIn, SsoSignIn } from '../../../contract/api.ts';
import { api } from '../../lib/api.ts';
import { SIGNED_OUT, flushPendingSignOut, forgetSession } from './session.ts';

export const authKeys = { status: ['auth', 'status'] as const };

/** Forgets everything of the previous account but the auth status itself (its observers stay attached). */
export function forgetOtherQueries(qc: QueryClient) {
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
  if (shared === null) throw new Error('useAuthStatus outside App (SharedAuthStatus)');
  return shared;
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

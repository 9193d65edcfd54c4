import { QueryClient } from '@tanstack/react-query';
import { ApiFailure } from '../lib/api.ts';
import { authKeys } from '../features/auth/api.ts';
import { isStepUpRequired } from '../features/policy/api.ts';

export function makeQueryClient(): QueryClient {
  const qc: QueryClient = new QueryClient({
    defaultOptions: {
      queries: {
        // A 4xx will not change by asking again; a network error or 5xx may.
        retry: (count, error) => !(error instanceof ApiFailure && error.status >= 400 && error.status < 500) && count < 3,
        refetchOnWindowFocus: true,
        // Ask even when the browser says offline: the service worker answers with what it kept.
        networkMode: 'offlineFirst',
      },
      // A press or a form sent offline fails now and says so; nothing waits to run later.
      mutations: { networkMode: 'always', retry: false },
    },
  });
  // A session that ended (signed out elsewhere, expired) sends the person back to sign-in.
  // Asking for the status again also drops this device's offline copies when it names nobody.
  // A press that needs the person to confirm who they are first (step_up_required) is not that: the
  // session stands, and the press asks for the password (WebhookActionButton).
  const sessionGone = (error: unknown) => error instanceof ApiFailure && error.status === 401 && !isStepUpRequired(error);
  qc.getQueryCache().subscribe((e) => {
    if (e.type === 'updated' && sessionGone(e.query.state.error) && e.query.queryKey[0] !== authKeys.status[0]) {
      void qc.invalidateQueries({ queryKey: authKeys.status });
    }
  });
  qc.getMutationCache().subscribe((e) => {
    if (e.type === 'updated' && sessionGone(e.mutation?.state.error)) void qc.invalidateQueries({ queryKey: authKeys.status });
  });
  return qc;
}

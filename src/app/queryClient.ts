import { QueryClient } from '@tanstack/react-query';
import { ApiFailure } from '../lib/api.ts';
import { authKeys } from '../features/auth/api.ts';

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
  qc.getQueryCache().subscribe((e) => {
    const error = e.query.state.error;
    if (e.type === 'updated' && error instanceof ApiFailure && error.status === 401 && e.query.queryKey[0] !== authKeys.status[0]) {
      void qc.invalidateQueries({ queryKey: authKeys.status });
    }
  });
  return qc;
}

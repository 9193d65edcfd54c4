/**
 * Cross-site request guard for the session API: a state-changing request must come from this
 * server's own origin (Origin header), and never from a page the browser calls cross-site.
 * The ingest API (/api/v1/*) is exempt: it is authenticated by a bearer key, never by a cookie.
 */
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../http/errors.ts';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export function csrfGuard(publicUrl: string | null) {
  const configured = publicUrl ? new URL(publicUrl).origin : null;
  return async (request: FastifyRequest): Promise<void> => {
    if (SAFE.has(request.method)) return;
    const path = request.url;
    if (!path.startsWith('/api/') || path.startsWith('/api/v1/')) return;
    if (request.headers['sec-fetch-site'] === 'cross-site') {
      throw new ApiError(403, 'cross_site_request', 'cross-site requests are refused');
    }
    const origin = request.headers.origin;
    const own = `${request.protocol}://${request.headers.host ?? ''}`;
    if (!origin || (origin !== own && origin !== configured)) {
      throw new ApiError(403, 'cross_site_request', 'the request must come from this server\'s own pages');
    }
  };
}

/**
 * Security headers on every answer, set by helmet. The CSP allows no inline script and no foreign
 * script at all. Helmet's middleware is built once, here (@fastify/helmet builds it again for every
 * request, CSP parsing included: measured at ~4 % of an ingest's CPU), and run in one onRequest hook.
 *
 * It sets its headers on the raw response in an onRequest hook, so they reach every answer that
 * goes through the routing: routes, static files, 404s, errors thrown by later hooks or handlers, and
 * the live stream (which hijacks its reply and writes its own head: Node merges what was set before).
 * Register it before any other onRequest hook that may refuse a request (draining, access guard).
 */
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

const PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=()';

export function securityHeaders(app: FastifyInstance, https: boolean): void {
  const setHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        // Avatars and image content are the app's own URLs, on any host; they load without a referrer.
        'img-src': ["'self'", 'https:', 'http:', 'data:', 'blob:'],
        'connect-src': ["'self'"],
        'font-src': ["'self'"],
        'manifest-src': ["'self'"],
        'worker-src': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'none'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
      },
    },
    xContentTypeOptions: true,
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    // Only behind https; without includeSubDomains, which would bind hosts this server does not run.
    strictTransportSecurity: https ? { maxAge: 31536000, includeSubDomains: false } : false,
    // Helmet's other defaults, each decided here:
    // - the app loads its own files from its own origin (icons, scripts, the push icon): no other
    //   site needs to embed them, so Cross-Origin-Resource-Policy: same-origin stays on;
    crossOriginResourcePolicy: { policy: 'same-origin' },
    // - avatars come from any host without CORP headers: require-corp would break them;
    crossOriginEmbedderPolicy: false,
    // - Origin-Agent-Cluster is what current browsers do by default, and X-XSS-Protection: 0 turns off
    //   a filter no current browser has: two more headers on every answer (ingest included) for nothing;
    originAgentCluster: false,
    xXssProtection: false,
    // - legacy or trade-off headers with nothing to protect here stay off, as before: DNS prefetch
    //   (a speed trade-off), IE8's download prompt, Flash/Acrobat cross-domain policies.
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
  });
  // Helmet has no Permissions-Policy: set the same way (on the raw response), in the same hook.
  app.addHook('onRequest', (request, reply, done) => {
    reply.raw.setHeader('permissions-policy', PERMISSIONS_POLICY);
    setHeaders(request.raw, reply.raw, (err) => done(err as Error | undefined));
  });
}

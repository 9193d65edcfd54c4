/**
 * Security headers on every answer, set by @fastify/helmet. The CSP allows no inline script and no
 * foreign script at all.
 *
 * Helmet sets its headers on the raw response in an onRequest hook, so they reach every answer that
 * goes through the routing: routes, static files, 404s, errors thrown by later hooks or handlers, and
 * the live stream (which hijacks its reply and writes its own head: Node merges what was set before).
 * Register it before any other onRequest hook that may refuse a request (draining, access guard).
 */
import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

const PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=()';

export async function securityHeaders(app: FastifyInstance, https: boolean): Promise<void> {
  await app.register(fastifyHelmet, {
    global: true,
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
    // - Origin-Agent-Cluster: ?1 (the app never sets document.domain) and X-XSS-Protection: 0 (turns
    //   off the legacy XSS filter of old browsers, itself a source of leaks) stay on;
    originAgentCluster: true,
    xXssProtection: true,
    // - legacy or trade-off headers with nothing to protect here stay off, as before: DNS prefetch
    //   (a speed trade-off), IE8's download prompt, Flash/Acrobat cross-domain policies.
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
  });
  // Helmet has no Permissions-Policy: set the same way (on the raw response, in onRequest), so it
  // reaches the same answers, the hijacked live stream included.
  app.addHook('onRequest', async (_request, reply) => {
    reply.raw.setHeader('permissions-policy', PERMISSIONS_POLICY);
  });
}

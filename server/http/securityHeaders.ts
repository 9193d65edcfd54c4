/**
 * Security headers on every answer, chosen with helmet. The CSP allows no inline script and no foreign
 * script at all. Helmet's middleware is built once, here (@fastify/helmet builds it again for every
 * request, CSP parsing included: measured at ~4 % of an ingest's CPU), and run once, at start: none of
 * its headers depends on the request, so the ones it sets are recorded and set from that list in one
 * onRequest hook (running its chain of middlewares on each request cost ~2 % of an ingest's CPU).
 *
 * It sets its headers on the raw response in an onRequest hook, so they reach every answer that
 * goes through the routing: routes, static files, 404s, errors thrown by later hooks or handlers, and
 * the live stream (which hijacks its reply and writes its own head: Node merges what was set before).
 * Register it before any other onRequest hook that may refuse a request (draining, access guard).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
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
  const headers: [string, string][] = [['permissions-policy', PERMISSIONS_POLICY]];
  const removed: string[] = [];
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => void headers.push([name, String(value)]),
    removeHeader: (name: string) => void removed.push(name),
  };
  let ran = false;
  setHeaders({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => {
    if (err) throw err;
    ran = true;
  });
  if (!ran) throw new Error('helmet did not set its headers at once: they cannot be recorded');
  app.addHook('onRequest', (_request, reply, done) => {
    const raw = reply.raw;
    for (const name of removed) raw.removeHeader(name);
    for (const [name, value] of headers) raw.setHeader(name, value);
    done();
  });
}

/** Serves the built PWA: hashed assets cached for a year, everything else revalidated. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { isAppPage } from '../../contract/appPages.ts';
import { ApiError } from './errors.ts';
import { localePreloads } from './localePreload.ts';

export async function staticFiles(app: FastifyInstance, distDir: string): Promise<void> {
  const hasBuild = existsSync(join(distDir, 'index.html'));
  const preloads = localePreloads(distDir);
  /** index.html's answer also names the first texts in the browser's language (localePreload.ts). */
  const withTexts = (setHeader: (name: string, value: string) => unknown, acceptLanguage: string | undefined) => {
    const link = preloads(acceptLanguage);
    setHeader('vary', 'Accept-Language');
    if (link) setHeader('link', link);
  };
  if (hasBuild) {
    // The built PWA is public: its routes (registered by the plugin) declare that here.
    await app.register(async (files) => {
      files.addHook('onRoute', (route) => {
        route.config = { ...route.config, access: 'public' };
      });
      await files.register(fastifyStatic, {
      root: distDir,
      wildcard: true,
      index: 'index.html',
      // scripts/compress-dist.mjs writes .br/.gz beside the build; they are sent when the browser accepts them.
      preCompressed: true,
      setHeaders(res, path) {
        const immutable = path.includes(`${join(distDir, 'assets')}`);
        res.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
        if (path.endsWith('index.html')) withTexts((n, v) => res.header(n, v), res.request.headers['accept-language']);
      },
      });
    });
  }

  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const read = request.method === 'GET' || request.method === 'HEAD';
    const page = read && isAppPage(path);
    // A browser that opens an unknown address gets the app (which says the page does not exist) with
    // a 404; a script, a probe or a crawler gets the JSON error.
    const browserLost = read && !page && !path.startsWith('/api/') && /\btext\/html\b/.test(request.headers.accept ?? '');
    if ((page || browserLost) && hasBuild) {
      reply.header('cache-control', 'no-cache');
      withTexts((n, v) => reply.header(n, v), request.headers['accept-language']);
      return reply.code(page ? 200 : 404).sendFile('index.html');
    }
    if (page) {
      reply.type('text/plain; charset=utf-8').code(503);
      return 'The app is not built yet: run `npm run build`, then restart the server.';
    }
    throw new ApiError(404, 'not_found', `no route for ${request.method} ${path}`);
  });
}

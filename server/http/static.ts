/** Serves the built PWA: hashed assets cached for a year, everything else revalidated. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { ApiError } from './errors.ts';

export async function staticFiles(app: FastifyInstance, distDir: string): Promise<void> {
  const hasBuild = existsSync(join(distDir, 'index.html'));
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
      },
      });
    });
  }

  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const isPage = (request.method === 'GET' || request.method === 'HEAD') && !path.startsWith('/api/') && !/\.[a-z0-9]+$/i.test(path);
    if (isPage && hasBuild) {
      reply.header('cache-control', 'no-cache');
      return reply.sendFile('index.html');
    }
    if (isPage) {
      reply.type('text/plain; charset=utf-8').code(503);
      return 'The app is not built yet: run `npm run build`, then restart the server.';
    }
    throw new ApiError(404, 'not_found', `no route for ${request.method} ${path}`);
  });
}

/**
 * GET /api/v1/events/:id/decision (§11): any key of the event's project reads its question's answer,
 * at once or as a long poll (`?wait=` seconds, up to 60). Registered in the API-key context.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DecisionDto } from '../../contract/decisions.ts';
import { decisionQuery } from '../../contract/decisionBodies.ts';
import { API_KEY, doc } from '../http/access.ts';
import { parseOr400 } from '../http/parse.ts';
import { type DecisionDeps, readDecision } from './read.ts';

export function decisionRoutes(app: FastifyInstance, deps: DecisionDeps & { authenticate: (request: FastifyRequest) => Promise<void> }) {
  app.get<{ Params: { id: string }; Querystring: Record<string, string> }>(
    '/api/v1/events/:id/decision',
    doc(
      { ...API_KEY, onRequest: deps.authenticate },
      { tag: 'Decisions', summary: "The answer to an event's question (reply actions); ?wait= seconds (≤ 60) to long-poll for it", query: decisionQuery },
    ),
    async (request, reply): Promise<DecisionDto> => {
      const { wait } = parseOr400(decisionQuery, request.query);
      // A client that stops waiting (closed connection) frees its wait at once.
      const gone = new AbortController();
      const onClose = () => gone.abort();
      reply.raw.once('close', onClose);
      try {
        return await readDecision(deps, {
          projectId: request.apiKeyProject!,
          eventId: request.params.id,
          waitSeconds: wait ?? 0,
          keyId: request.apiKeyId!,
          signal: gone.signal,
        });
      } finally {
        reply.raw.off('close', onClose);
      }
    },
  );
}

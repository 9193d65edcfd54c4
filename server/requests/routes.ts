/** Answering presses that wait (§10): approve, deny (by the request's id), cancel (by the action). */
import type { FastifyInstance } from 'fastify';
import { decisionBody } from '../../contract/decision.ts';
import type { SessionAuth } from '../auth/session.ts';
import { doc, projectOf } from '../http/access.ts';
import { parseOr400 } from '../http/parse.ts';
import type { AppStore as Store } from '../store/types.ts';
import { decisions } from './decide.ts';

export interface RequestRoutesOptions {
  store: Store;
  auth: SessionAuth;
  now: () => number;
  wakeScheduler: () => void;
}

export function requestRoutes(app: FastifyInstance, opts: RequestRoutesOptions) {
  const { auth } = opts;
  const decide = decisions(opts);
  // The project is the request's: someone outside it is told the request does not exist.
  const answer = (summary: string) => doc({ config: { access: 'member', projectOf: 'request' } }, { tag: 'Actions', summary, body: decisionBody });

  app.post<{ Params: { id: string } }>('/api/approvals/:id/approve', answer('Approve a press that waits for approval (not your own)'), async (request) => {
    parseOr400(decisionBody, request.body);
    return decide.approve(request.params.id, auth.requireUser(request), projectOf(request));
  });

  app.post<{ Params: { id: string } }>('/api/approvals/:id/deny', answer('Deny a press that waits for approval, with an optional reason'), async (request) => {
    const body = parseOr400(decisionBody, request.body);
    return decide.deny(request.params.id, auth.requireUser(request), projectOf(request), body?.reason || null);
  });

  app.post<{ Params: { id: string; key: string } }>(
    '/api/events/:id/actions/:key/cancel',
    doc({ config: { access: 'member', projectOf: 'event' } }, { tag: 'Actions', summary: 'Cancel a press that waits (for approval, or for its delay)' }),
    async (request) => decide.cancel(request.params.id, request.params.key, auth.requireUser(request), projectOf(request)),
  );
}

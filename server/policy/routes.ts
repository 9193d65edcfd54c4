/** A project's press policy (§10): every member reads it; admins change it; each change is audited. */
import type { FastifyInstance } from 'fastify';
import { changedPolicy, type Policy } from '../../contract/policy.ts';
import { policyChangeSchema } from '../../contract/policyChange.ts';
import type { SessionAuth } from '../auth/session.ts';
import { ADMIN, doc, projectOf, VIEWER } from '../http/access.ts';
import { parseOr400 } from '../http/parse.ts';
import type { AppStore } from '../store/types.ts';
import { audit } from '../audit/log.ts';
import { policyDto, readPolicy } from './policy.ts';

export interface PolicyRoutesOptions {
  store: AppStore;
  auth: SessionAuth;
  now: () => number;
}

export async function policyRoutes(app: FastifyInstance, { store, auth, now }: PolicyRoutesOptions) {
  const read = doc(VIEWER, { tag: 'Policy', summary: 'What a press requires per risk level, and whether presses are frozen' });
  app.get('/api/projects/:slug/policy', read, async (request): Promise<Policy> => policyDto(await readPolicy(store, projectOf(request).id)));

  const change = doc(ADMIN, { tag: 'Policy', summary: 'Change any part of the policy (what is left out stays); freeze or unfreeze presses', body: policyChangeSchema });
  app.put('/api/projects/:slug/policy', change, async (request): Promise<Policy> => {
    const user = auth.requireUser(request);
    const project = projectOf(request);
    const body = parseOr400(policyChangeSchema, request.body);
    const at = now();
    const stored = await store.transaction(async (tx) => {
      // Two admins changing it at once take turns (PostgreSQL: the project's row is locked).
      await tx.members.lock(project.id);
      const before = await readPolicy(tx, project.id);
      const next = changedPolicy(before.doc, body, { id: user.id, email: user.email }, new Date(at).toISOString());
      await tx.policies.put(project.id, JSON.stringify(next), at, user.email);
      await audit(tx, project.id, user, 'policy.changed', project.slug, at, { change: body, freeze: next.frozen !== null });
      return { doc: next, updatedAt: at, updatedBy: user.email };
    });
    return policyDto(stored);
  });
}

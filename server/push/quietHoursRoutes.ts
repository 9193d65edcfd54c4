/**
 * A person's quiet hours (§12: Settings → Notifications → Quiet hours): GET and PUT
 * /api/account/quiet-hours. Their pushes then wait until the hours end, except urgent events and
 * escalations (the push worker holds them: ./worker.ts).
 */
import type { FastifyInstance } from 'fastify';
import { type QuietHours, quietHoursBody } from '../../contract/quietHours.ts';
import type { SessionAuth } from '../auth/session.ts';
import { doc, SIGNED_IN } from '../http/access.ts';
import { parseOr400 } from '../http/parse.ts';
import type { AppStore } from '../store/types.ts';

export async function quietHoursRoutes(app: FastifyInstance, { store, auth, now }: { store: AppStore; auth: SessionAuth; now: () => number }) {
  app.get('/api/account/quiet-hours', doc(SIGNED_IN, { tag: 'Push', summary: 'Your quiet hours (null: none)' }), async (request): Promise<{ quietHours: QuietHours | null }> => ({
    quietHours: await store.quietHours.get(auth.requireUser(request).id),
  }));
  app.put(
    '/api/account/quiet-hours',
    doc(SIGNED_IN, { tag: 'Push', summary: 'Set your quiet hours ({"quietHours": {"from","to","timeZone"}} or null): pushes wait until they end, except urgent events and escalations', body: quietHoursBody }),
    async (request): Promise<{ quietHours: QuietHours | null }> => {
      const user = auth.requireUser(request);
      const { quietHours } = parseOr400(quietHoursBody, request.body);
      await store.quietHours.put(user.id, quietHours, now());
      return { quietHours: await store.quietHours.get(user.id) };
    },
  );
}

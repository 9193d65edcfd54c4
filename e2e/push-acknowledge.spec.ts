/**
 * `Acknowledge` from the notification (§12), in Chromium's service worker: the push the server really
 * sent (decrypted by a local push service standing in for the browser vendors') is dispatched to the
 * app's service worker, which shows it; a click on its `Acknowledge` button acknowledges the event with
 * the person's session — no page opened, nothing pressed. Both payload shapes: with the Declarative
 * Web Push form (what the server sends) and without it (an older server's).
 */
import { expect, request as playwrightRequest, test } from '@playwright/test';
import { ACK_ACTION, type PushPayload } from '../contract/push.ts';
import { type PushEndpoint, startPushEndpoint } from '../test/fixtures/pushEndpoint.ts';
import { type RunningServer, sendEvent, signInPage, startSeededServer } from './fixtures/server.ts';

/** What the test reaches of the service worker's global scope (its types are not in this project's lib). */
interface WorkerScope {
  registration: { getNotifications(filter: { tag: string }): Promise<{ title: string; actions?: { action: string; title: string }[] }[]> };
  dispatchEvent(event: Event): boolean;
  PushEvent: new (type: string, init: { data: string }) => Event;
  NotificationEvent: new (type: string, init: { notification: unknown; action: string }) => Event;
}

let server: RunningServer;
let key: string;
let pushService: PushEndpoint;

test.beforeAll(async () => {
  pushService = await startPushEndpoint();
  const request = await playwrightRequest.newContext();
  ({ server, key } = await startSeededServer(request, { PUSH_ENDPOINT_HOSTS: pushService.host }));
  await request.dispose();
});
test.afterAll(async () => {
  await server.stop();
  await pushService.close();
});

for (const shape of ['declarative', 'service worker only'] as const) {
  test(`a push (${shape}) shows Acknowledge, and a click acknowledges the event without opening the app`, async ({ page, context }) => {
    await context.grantPermissions(['notifications'], { origin: server.url });
    await signInPage(page, server);
    await page.evaluate(() => navigator.serviceWorker.ready);
    const device = pushService.subscription();
    const saved = await page.request.put(`${server.url}/api/push/subscriptions`, { headers: { origin: server.url }, data: { endpoint: device.endpoint, keys: device.keys, deviceName: 'Chromium' } });
    expect(saved.status()).toBeLessThan(300);

    const before = pushService.received.length;
    const { id } = await sendEvent(server, key, { name: `Disk full (${shape})`, notify: true, actions: [{ key: 'clean', buttonText: 'Clean /tmp', url: 'https://ops.example.com/clean' }] });
    await expect.poll(() => pushService.received.length).toBeGreaterThan(before);
    const sent = pushService.received.at(-1)!.payload as PushPayload;
    expect(sent).toMatchObject({ web_push: 8030, mutable: true, ack: `/api/projects/default/events/${id}/ack` });
    expect(sent.notification?.navigate).toBe(`${new URL(server.url).origin}/events/${id}`);
    const payload: PushPayload = shape === 'declarative' ? sent : (({ web_push: _w, notification: _n, mutable: _m, ...rest }) => rest)(sent);

    const worker = context.serviceWorkers().find((w) => w.url().startsWith(server.url)) ?? (await context.waitForEvent('serviceworker'));
    // The push arrives: the service worker shows it, `Acknowledge` first.
    await worker.evaluate((data) => {
      const scope = self as unknown as WorkerScope;
      scope.dispatchEvent(new scope.PushEvent('push', { data: JSON.stringify(data) }));
    }, payload);
    const shown = async () =>
      worker.evaluate(async (tag) => {
        const list = await (self as unknown as WorkerScope).registration.getNotifications({ tag });
        return list.map((n) => ({ title: n.title, actions: n.actions ?? [] }));
      }, id);
    await expect.poll(async () => (await shown()).length).toBe(1);
    expect((await shown())[0]!.actions.map((a) => a.title)).toEqual(['Acknowledge', 'Clean /tmp']);

    // A click on `Acknowledge`.
    const pagesBefore = context.pages().length;
    await worker.evaluate(
      async ({ tag, action }) => {
        const scope = self as unknown as WorkerScope;
        const [notification] = await scope.registration.getNotifications({ tag });
        scope.dispatchEvent(new scope.NotificationEvent('notificationclick', { notification: notification!, action }));
      },
      { tag: id, action: ACK_ACTION },
    );
    await expect
      .poll(async () => ((await (await page.request.get(`${server.url}/api/events/${id}`)).json()) as { event: { state: string; acknowledged: { by: string } | null } }).event)
      .toMatchObject({ state: 'acknowledged', acknowledged: { by: 'owner@example.com' } });
    expect(context.pages().length).toBe(pagesBefore);
  });
}

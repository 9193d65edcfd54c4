import { expect, request as playwrightRequest, test } from '@playwright/test';
import { type PushEndpoint, startPushEndpoint } from '../test/fixtures/pushEndpoint.ts';
import { type RunningServer, sendEvent, signIn, startSeededServer } from './fixtures/server.ts';

let server: RunningServer;
let key: string;
let pushService: PushEndpoint;

test.beforeAll(async () => {
  // A local push service stands in for the browser vendors' (it decrypts what it gets).
  pushService = await startPushEndpoint();
  const request = await playwrightRequest.newContext();
  ({ server, key } = await startSeededServer(request, { PUSH_ENDPOINT_HOSTS: pushService.host }));
  await request.dispose();
});
test.afterAll(async () => {
  await server.stop();
  await pushService.close();
});

test('settings: turn on is offered; a registered device is listed, gets a test push and the events that notify, and can be removed', async ({ page }) => {
  await signIn(server, page.request);
  await page.goto(`${server.url}/settings`);
  await expect(page.getByRole('button', { name: 'Turn on notifications for this device' })).toBeVisible();

  // What the browser would do after PushManager.subscribe (which needs a real push service).
  const device = pushService.subscription();
  const saved = await page.request.put(`${server.url}/api/push/subscriptions`, {
    headers: { origin: server.url },
    data: { endpoint: device.endpoint, keys: device.keys, deviceName: 'Chrome on Android' },
  });
  expect(saved.status()).toBeLessThan(300);
  await page.reload();
  const devices = page.getByRole('list', { name: 'Devices' });
  await expect(devices).toContainText('Chrome on Android');

  await page.getByRole('button', { name: 'Send test notification' }).click();
  await expect(page.getByText('Sent to 1 device.')).toBeVisible();
  const [testPush] = await pushService.waitFor(1);
  expect(testPush?.payload).toMatchObject({ kind: 'test', title: '🔔 Switchboard' });

  await sendEvent(server, key, { name: 'Staging only', notify: true, test: true });
  await sendEvent(server, key, { name: 'Payment failed', avatar: '💳', notify: true, content: 'card declined' });
  const pushes = await pushService.waitFor(2);
  expect(pushes).toHaveLength(2);
  expect(pushes[1]?.payload).toMatchObject({ kind: 'event', title: '💳 Payment failed', body: 'card declined' });
  expect(pushes[1]?.urgency).toBe('high');

  await page.getByRole('button', { name: 'Remove Chrome on Android' }).click();
  await expect(devices).toHaveCount(0);
});

test('signing out drops this device from push: the server stops sending the account’s notifications here', async ({ page }) => {
  await signIn(server, page.request);
  const device = pushService.subscription();
  const saved = await page.request.put(`${server.url}/api/push/subscriptions`, {
    headers: { origin: server.url },
    data: { endpoint: device.endpoint, keys: device.keys, deviceName: 'Chrome on Android' },
  });
  const { id } = (await saved.json()) as { id: string };
  await page.goto(`${server.url}/settings`);
  // As enablePush() leaves it: this browser knows which listed device it is.
  await page.evaluate((deviceId) => localStorage.setItem('switchboard.pushDeviceId', deviceId), id);
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  expect(await page.evaluate(() => localStorage.getItem('switchboard.pushDeviceId'))).toBeNull();
  await signIn(server, page.request);
  const listed = (await (await page.request.get(`${server.url}/api/push/subscriptions`)).json()) as { id: string }[];
  expect(listed.map((d) => d.id)).not.toContain(id);
});

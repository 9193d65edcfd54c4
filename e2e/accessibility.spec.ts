/**
 * axe-core on every screen — sign-in, setup, empty feed, the feed with every action state and a thread
 * open, the confirm dialog, an event's page, settings — on a phone and a desktop, light and dark:
 * no serious or critical violation, colour contrast included.
 */
import { expect, request as playwrightRequest, test } from '@playwright/test';
import { seedActionStates, STATE_EVENTS } from './fixtures/actionStates.ts';
import { type Receiver, startReceiver } from './fixtures/receiver.ts';
import { createOwner, type RunningServer, signIn, startSeededServer, startServer } from './fixtures/server.ts';
import { expectNoSeriousViolations } from './fixtures/axe.ts';

let server: RunningServer;
let fresh: RunningServer;
let receiver: Receiver;

test.beforeAll(async () => {
  receiver = await startReceiver();
  const request = await playwrightRequest.newContext();
  let key: string;
  ({ server, key } = await startSeededServer(request, { WEBHOOK_ALLOW_PRIVATE: 'true' }));
  await seedActionStates(server, key, receiver, request);
  await request.dispose();
  // A second installation, not set up yet: the setup page, then an empty feed.
  fresh = await startServer();
});
test.afterAll(async () => {
  await server.stop();
  await fresh.stop();
  await receiver.close();
});

const VIEWPORTS = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 800 } } as const;

for (const [device, viewport] of Object.entries(VIEWPORTS)) {
  for (const scheme of ['light', 'dark'] as const) {
    test.describe(`${device}, ${scheme}`, () => {
      test.use({ viewport, colorScheme: scheme });

      test('signed out: sign-in (with its errors) and setup', async ({ page }) => {
        await page.goto(server.url);
        await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
        await expectNoSeriousViolations(page, 'sign-in');
        await page.getByRole('button', { name: 'Sign in' }).click();
        await expect(page.getByRole('alert').or(page.getByText(/required|must/i).first())).toBeVisible();
        await expectNoSeriousViolations(page, 'sign-in with errors');

        expect(fresh.setupToken).toBeTruthy();
        await page.goto(`${fresh.url}/setup#token=${fresh.setupToken}`);
        await expect(page.getByLabel('Password')).toBeVisible();
        await expectNoSeriousViolations(page, 'setup');
      });

      test('the feed with every action state and a thread open, the confirm dialog, an event page, settings, Activity, All projects', async ({ page }) => {
        await signIn(server, page.request);
        await page.goto(server.url);
        await expect(page.getByRole('article', { name: STATE_EVENTS.ready })).toBeVisible();
        const thread = page.getByRole('article', { name: STATE_EVENTS.thread });
        await thread.getByRole('button', { name: /events in this thread/ }).click();
        await expect(thread.getByRole('article', { name: 'Deploy 7 finished ✅' })).toBeVisible();
        await expectNoSeriousViolations(page, 'feed');

        await page.getByRole('article', { name: STATE_EVENTS.ready }).getByRole('button', { name: 'Ban user' }).click();
        await expect(page.getByRole('alertdialog')).toBeVisible();
        await expectNoSeriousViolations(page, 'confirm dialog');
        await page.keyboard.press('Escape');

        await page.getByRole('link', { name: STATE_EVENTS.done }).click();
        await expect(page.getByRole('heading', { name: STATE_EVENTS.done, level: 2 })).toBeVisible();
        await expectNoSeriousViolations(page, 'event page');

        await page.getByRole('link', { name: 'Settings' }).click();
        await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
        await expectNoSeriousViolations(page, 'settings');

        await page.getByRole('link', { name: 'Activity' }).click();
        await expect(page.getByRole('combobox', { name: 'Outcome' })).toBeVisible();
        await expectNoSeriousViolations(page, 'activity');

        await page.goto(`${server.url}/all`);
        await expect(page.getByRole('article', { name: STATE_EVENTS.ready })).toBeVisible();
        await expectNoSeriousViolations(page, 'all projects');
      });
    });
  }
}

test('the first run: an installation with no events yet shows the snippets, and passes axe', async ({ page }) => {
  const request = await playwrightRequest.newContext();
  await createOwner(fresh, request);
  await request.dispose();
  await signIn(fresh, page.request);
  for (const [device, viewport] of Object.entries(VIEWPORTS)) {
    await page.setViewportSize(viewport);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(fresh.url);
      await expect(page.getByRole('heading', { name: 'No events yet' })).toBeVisible();
      await expectNoSeriousViolations(page, `empty feed (${device}, ${scheme})`);
    }
  }
});

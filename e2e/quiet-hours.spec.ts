/** Settings → Notifications → Quiet hours (§12): set, kept, shown again; turned off. */
import { expect, request as playwrightRequest, test } from '@playwright/test';
import { type RunningServer, signInPage, startSeededServer } from './fixtures/server.ts';

let server: RunningServer;
test.beforeAll(async () => {
  const request = await playwrightRequest.newContext();
  ({ server } = await startSeededServer(request));
  await request.dispose();
});
test.afterAll(async () => {
  await server.stop();
});

test('quiet hours are set in the person’s time zone, kept, and turned off again', async ({ page }) => {
  await signInPage(page, server);
  await page.goto(`${server.url}/settings`);
  await expect(page.getByRole('heading', { name: 'Quiet hours' })).toBeVisible();
  const quiet = page.getByRole('group', { name: 'Quiet hours' });
  await page.getByLabel('Hold my notifications during quiet hours').check();
  await quiet.getByLabel('From').fill('23:00');
  await quiet.getByLabel('To').fill('06:30');
  await quiet.getByLabel('Time zone').selectOption('Europe/Berlin');
  await page.getByRole('button', { name: 'Save quiet hours' }).click();
  await expect(page.getByText('Quiet from 23:00 to 06:30 (Europe/Berlin).')).toBeVisible();
  const stored = await (await page.request.get(`${server.url}/api/account/quiet-hours`)).json();
  expect(stored).toEqual({ quietHours: { from: '23:00', to: '06:30', timeZone: 'Europe/Berlin' } });

  await page.reload();
  await expect(quiet.getByLabel('From')).toHaveValue('23:00');
  await expect(quiet.getByLabel('Time zone')).toHaveValue('Europe/Berlin');
  // From and To the same: refused before it is sent.
  await quiet.getByLabel('To').fill('23:00');
  await expect(page.getByText('From and To must differ')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save quiet hours' })).toBeDisabled();

  await page.getByLabel('Hold my notifications during quiet hours').uncheck();
  await page.getByRole('button', { name: 'Save quiet hours' }).click();
  await expect(page.getByText('No quiet hours.')).toBeVisible();
  expect(await (await page.request.get(`${server.url}/api/account/quiet-hours`)).json()).toEqual({ quietHours: null });
});

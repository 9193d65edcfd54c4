/**
 * REMOTE_IMAGES=tap: an event's image is fetched from its host only after a tap, so a sender cannot
 * learn who opened the feed and when. A local image host counts every request it gets.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, request as playwrightRequest, test } from '@playwright/test';
import { comfortableCards, type RunningServer, sendEvent, signIn, startSeededServer } from './fixtures/server.ts';

let server: RunningServer;
let key: string;
let host: Server;
let hostUrl: string;
const fetched: string[] = [];
const PNG = readFileSync(new URL('../public/icon-192.png', import.meta.url));

test.beforeAll(async () => {
  host = createServer((req, res) => {
    fetched.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'no-store' });
    res.end(PNG);
  });
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
  hostUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
  const request = await playwrightRequest.newContext();
  ({ server, key } = await startSeededServer(request, { REMOTE_IMAGES: 'tap' }));
  await request.dispose();
});
// This spec reads the event card's content: comfortable cards (a desktop's default is the one-line desk).
test.beforeEach(async ({ page }) => comfortableCards(page));
test.afterAll(async () => {
  await server.stop();
  await new Promise((resolve) => host.close(resolve));
});

test('images wait for a tap that names their host; avatars never load', async ({ page }) => {
  await signIn(server, page.request);
  await sendEvent(server, key, { name: 'Chargeback opened', avatar: `${hostUrl}/avatar.png`, type: 'image', content: `${hostUrl}/receipt.png` });
  await sendEvent(server, key, { name: 'Refund row', avatar: '💶', type: 'rows', content: [{ label: 'scan', type: 'image', content: `${hostUrl}/scan.png` }] });
  await page.goto(server.url);
  const card = page.getByRole('article', { name: 'Chargeback opened' });
  await expect(card).toBeVisible();
  await expect(page.getByRole('article', { name: 'Refund row' })).toBeVisible();
  await expect(card.getByRole('img')).toHaveCount(0);
  // Give any eager load its chance before counting.
  await page.waitForLoadState('networkidle');
  expect(fetched).toEqual([]);

  const show = card.getByRole('button', { name: `Show image from ${new URL(hostUrl).host}` });
  await expect(show).toBeVisible();
  await show.click();
  await expect(card.getByRole('img', { name: 'Chargeback opened' })).toHaveAttribute('src', `${hostUrl}/receipt.png`);
  await expect.poll(() => fetched).toEqual(['/receipt.png']);
  // The other event's image and the avatar are still untouched.
  await page.waitForLoadState('networkidle');
  expect(fetched).toEqual(['/receipt.png']);
  await expect(page.getByRole('article', { name: 'Refund row' }).getByRole('button', { name: /Show image from/ })).toBeVisible();
});

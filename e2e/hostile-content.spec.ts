import { expect, type Page, request as playwrightRequest, test } from '@playwright/test';
import { comfortableCards, type RunningServer, sendEvent, signIn, startSeededServer } from './fixtures/server.ts';

/** Payloads that have broken real apps: script tags, event handlers, URL schemes, template and markup tricks. */
const XSS = [
  '<script>window.__pwned=1;alert(1)</script>',
  '<img src=x onerror="window.__pwned=1;alert(1)">',
  '<svg onload=alert(1)>',
  '"><iframe src="javascript:alert(1)"></iframe>',
  "javascript:alert('x')",
  'JaVaScRiPt:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  '{{constructor.constructor("alert(1)")()}}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the payload is a literal template placeholder
  '${alert(1)}',
  '<a href="javascript:alert(1)">click</a>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '</textarea><script>alert(1)</script>',
  'https://example.com/"onmouseover="alert(1)',
  'https://example.com/<script>alert(1)</script>',
  '\u202e<script>alert(1)</script>',
];

let server: RunningServer;
let key: string;
const problems: string[] = [];

test.beforeAll(async () => {
  const request = await playwrightRequest.newContext();
  ({ server, key } = await startSeededServer(request));
  await request.dispose();
});
// This spec reads the event card's content: comfortable cards (a desktop's default is the one-line desk).
test.beforeEach(async ({ page }) => comfortableCards(page));
test.afterAll(async () => {
  await server.stop();
});

function watch(page: Page) {
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to (execute|load)/i.test(m.text())) problems.push(`csp: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
}

/** Sends the payload in every field that accepts it; fields that refuse it must say so with a 400. */
async function sendEverywhere(payload: string, i: number): Promise<void> {
  const variants: Record<string, unknown>[] = [
    { name: `xss ${i} ${payload}`.slice(0, 200), category: payload.slice(0, 64), userId: payload, contextId: payload.slice(0, 191), content: payload },
    { name: `xss-json ${i}`, type: 'json', content: { [payload]: payload, nested: [payload, { html: payload }] } },
    { name: `xss-rows ${i}`, type: 'rows', content: [{ label: payload, content: payload }, { label: 'j', type: 'json', content: { v: payload } }] },
    { name: `xss-avatar ${i}`, avatar: [...payload].slice(0, 8).join('') },
    {
      name: `xss-actions ${i}`,
      actions: [
        { url: 'https://example.com/hook', buttonText: payload.slice(0, 48), meta: payload },
        { url: 'https://example.com/link', buttonText: `link ${payload}`.slice(0, 48), external: true },
      ],
    },
  ];
  for (const body of variants) await sendEvent(server, key, body);
  // Hostile URLs in url/content/avatar fields are refused at the door.
  for (const body of [
    { name: 'bad url', actions: [{ url: payload, buttonText: 'x' }] },
    { name: 'bad image', type: 'image', content: payload },
  ]) {
    if (/^https?:\/\//i.test(payload)) continue;
    const res = await fetch(`${server.url}/api/v1/log`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status, `${JSON.stringify(body)}`).toBe(400);
  }
}

test('hostile content in every field renders as text: no script runs, no javascript: link exists', async ({ page }) => {
  watch(page);
  for (const [i, payload] of XSS.entries()) await sendEverywhere(payload, i);
  await signIn(server, page.request);
  await page.goto(server.url);
  await expect(page.getByRole('article').first()).toBeVisible();
  // The payloads are on screen, as text.
  await expect(page.getByRole('article', { name: /^xss-actions 14/ })).toBeVisible();
  await expect(page.getByRole('article', { name: /^xss-json 14/ }).locator('pre')).toContainText('<script>alert(1)</script>');

  // Walk the whole feed (it is virtualised), open every JSON block and every thread, then the event pages.
  const seen = new Set<string>();
  for (let round = 0; round < 40; round++) {
    for (const button of await page.getByRole('button', { name: /Show all/ }).all()) await button.click().catch(() => undefined);
    const hrefs = await page.locator('a[href]').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).getAttribute('href') ?? ''));
    for (const h of hrefs) seen.add(h);
    const atEnd = await page.evaluate(() => window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 4);
    if (atEnd && round > 2) break;
    await page.mouse.wheel(0, 1500);
    await page.waitForTimeout(100);
  }
  const badLinks = [...seen].filter((h) => !/^(https?:|\/|#)/i.test(h.trim()));
  expect(badLinks).toEqual([]);

  // Open the confirm dialog of a hostile button: its text shows as text.
  const hostileButton = page.getByRole('button', { name: /script|img|svg/ }).first();
  await hostileButton.click();
  await expect(page.getByRole('alertdialog')).toBeVisible();
  await page.keyboard.press('Escape');

  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(await page.locator('script:not([src])').count()).toBe(0);
  expect(await page.locator('iframe, object, embed').count()).toBe(0);
  expect(problems).toEqual([]);
});

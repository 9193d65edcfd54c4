/**
 * Every person's language (CONTRACT §14), in Chromium:
 * - the pseudo-locale (`en-XA`: every catalog text accented and 30% longer) on the main screens —
 *   any English word left on them that is not the events' own data is a text the catalogs missed;
 * - a German-speaking member who picks `Deutsch` under Settings → Account → Language, on every device;
 * - an Arabic-speaking one, right to left (with screenshots to look at), and axe in both.
 */
import { expect, type Page, request as playwrightRequest, test } from '@playwright/test';
import { seedActionStates, STATE_EVENTS } from './fixtures/actionStates.ts';
import { expectNoSeriousViolations } from './fixtures/axe.ts';
import { type Receiver, startReceiver } from './fixtures/receiver.ts';
import { type RunningServer, sendEvent, signIn, startSeededServer } from './fixtures/server.ts';

let server: RunningServer;
let receiver: Receiver;

test.beforeAll(async () => {
  receiver = await startReceiver();
  const request = await playwrightRequest.newContext();
  let key: string;
  ({ server, key } = await startSeededServer(request, { WEBHOOK_ALLOW_PRIVATE: 'true' }));
  await signIn(server, request);
  await seedActionStates(server, key, receiver, request);
  await sendEvent(server, key, { name: 'Disk full on db-1', avatar: '💽', category: 'ops', type: 'rows', content: [{ label: 'free', content: '2%' }] });
  await request.dispose();
});
test.afterAll(async () => {
  await server.stop();
  await receiver.close();
});

/** Words that are no one's to translate: product, protocol and tool names. */
const NAMES = new Set(['Switchboard', 'API', 'CLI', 'JSON', 'URL', 'URLs', 'HTTP', 'HTTPS', 'ID', 'SSO', 'PagerDuty', 'Alertmanager', 'Prometheus', 'GitHub', 'Stripe', 'Grafana', 'Sentry', 'Uptime', 'Kuma', 'Safari', 'Chrome', 'Edge', 'Android', 'iOS', 'iPhone', 'iPad', 'Firefox', 'Webhooks']);

/**
 * The English left on a page: each visible text (and label, placeholder, title, alt) with the
 * events' data and pseudo-locale words taken out; what remains with three ASCII letters in a row is
 * a text the catalogs missed. Code, keys and times (Intl's; the pseudo-locale formats as Arabic) are
 * not texts.
 */
async function englishLeft(page: Page, data: readonly string[]): Promise<string[]> {
  const found = await page.evaluate(() => {
    // A language's name in itself (the Language picker's options carry their `lang`) is not English either.
    const SKIP = 'script, style, code, pre, kbd, time, input, textarea, option[lang]';
    const out: string[] = [];
    const visible = (el: Element) => (el as HTMLElement).checkVisibility?.({ checkOpacity: false, checkVisibilityCSS: true }) ?? true;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      const text = node.textContent?.trim() ?? '';
      if (!parent || !text || parent.closest(SKIP) || !visible(parent)) continue;
      out.push(text);
    }
    for (const el of document.querySelectorAll('[aria-label], [placeholder], [title], img[alt]')) {
      if (el.closest('code, pre, kbd, time') || !visible(el)) continue;
      for (const name of ['aria-label', 'placeholder', 'title', 'alt']) {
        const value = el.getAttribute(name)?.trim();
        if (value) out.push(value);
      }
    }
    return out;
  });
  const known = [...data].filter((d) => d.length >= 3).sort((a, b) => b.length - a.length);
  const left: string[] = [];
  for (const text of found) {
    // A text whose catalog was not loaded shows its id: in a build, a short one (`3f`).
    if (/^(?=.*[a-z])[0-9a-z]{1,3}$/.test(text) && !data.includes(text)) left.push(`${text}  ← an id: its text was not loaded`);
    let rest = text;
    for (const d of known) if (rest.includes(d)) rest = rest.split(d).join(' ');
    const words = rest
      .split(/\s+/)
      // A pseudo-locale word carries its accents or its `~` padding.
      .filter((w) => !/[~áƀçďéƒĝĥíĵķĺɱñóþŕšţúŵýžÁƁÇĎÉƑĜĤÍĴĶĹṀÑÓÞŔŠŢÚŴÝŽ]/.test(w));
    const english = words.flatMap((w) => w.match(/[A-Za-z]{3,}/g) ?? []).filter((w) => !NAMES.has(w));
    if (english.length > 0) left.push(`${text}  ← ${english.join(' ')}`);
  }
  return [...new Set(left)];
}

/** Every string of the API's answers (events, projects, people): the data a page may show as it came. */
async function dataOf(page: Page): Promise<string[]> {
  const strings: string[] = [];
  const collect = (v: unknown) => {
    if (typeof v === 'string') strings.push(v, ...v.split(/\s*[\n·]\s*/));
    else if (Array.isArray(v)) v.forEach(collect);
    else if (v && typeof v === 'object') {
      // Keys too: an action's `meta` is shown as the sender named it.
      strings.push(...Object.keys(v));
      Object.values(v).forEach(collect);
    }
  };
  const paths = ['/api/events?limit=100', '/api/projects', '/api/auth/status', '/api/projects/default/members', '/api/projects/default/keys', '/api/categories', '/api/projects/default/insights?days=7&test=0&tz=0'];
  for (const path of paths) {
    const res = await page.request.get(`${server.url}${path}`);
    if (res.ok()) collect(await res.json());
  }
  return strings;
}

const usePseudo = (page: Page) => page.addInitScript(() => localStorage.setItem('sb-locale', 'en-XA'));

test.describe('the pseudo-locale finds no English the catalogs missed', () => {
  for (const [device, viewport] of Object.entries({ phone: { width: 390, height: 844 }, desktop: { width: 1440, height: 900 } })) {
    test(`on the main screens (${device})`, async ({ page }) => {
      test.setTimeout(90_000);
      await usePseudo(page);
      await page.setViewportSize(viewport);
      // Signed out first: the sign-in page.
      await page.goto(server.url);
      await expect(page.locator('html')).toHaveAttribute('lang', 'en-XA');
      await expect(page.locator('form button[type="submit"]')).toBeVisible();
      expect(await englishLeft(page, []), 'sign-in').toEqual([]);

      await signIn(server, page.request);
      const data = await dataOf(page);
      const screens: Array<[string, string, (p: Page) => Promise<void>]> = [
        ['feed', '/', async (p) => void (await expect(p.getByRole('article', { name: STATE_EVENTS.ready }).first()).toBeVisible())],
        ['settings', '/settings', async (p) => void (await expect(p.locator('main h1')).toBeVisible())],
        ['activity', '/activity', async (p) => void (await expect(p.locator('main h1')).toBeVisible())],
        ['insights', '/insights', async (p) => void (await expect(p.locator('main h1')).toBeVisible())],
      ];
      for (const [name, path, ready] of screens) {
        await page.goto(`${server.url}${path}`);
        await ready(page);
        await page.waitForTimeout(500);
        expect(await englishLeft(page, data), name).toEqual([]);
      }

      // An event's page, and the confirm step of one of its actions.
      await page.goto(server.url);
      const card = page.getByRole('article', { name: STATE_EVENTS.ready }).first();
      await card.getByRole('link', { name: STATE_EVENTS.ready }).first().click();
      await page.waitForTimeout(500);
      expect(await englishLeft(page, data), 'event').toEqual([]);
      await page.getByRole('button', { name: 'Ban user' }).first().click();
      await expect(page.getByRole('alertdialog')).toBeVisible();
      expect(await englishLeft(page, data), 'confirm dialog').toEqual([]);
    });
  }
});

test('the page asks for its first texts in the browser’s language along with the app’s scripts', async ({ request }) => {
  const german = await request.get(`${server.url}/`, { headers: { 'accept-language': 'de-CH,de;q=0.9,en;q=0.5' } });
  expect(german.headers().link).toMatch(/^<\/assets\/locale-\w+\/core-de\.js>; rel=modulepreload, <\/assets\/locale-\w+\/feed-de\.js>; rel=modulepreload$/);
  expect(german.headers().vary).toMatch(/Accept-Language/i);
  const chunk = german.headers().link!.match(/<([^>]+)>/)![1]!;
  expect((await request.get(`${server.url}${chunk}`)).status()).toBe(200);
  const other = await request.get(`${server.url}/events/nope`, { headers: { 'accept-language': 'ar' } });
  expect(other.headers().link).toMatch(/\/core-ar\.js>/);
});

test('a German-speaking member picks Deutsch once: the app, its dates and numbers are German on every device', async ({ page, browser }) => {
  await signIn(server, page.request);
  await page.goto(`${server.url}/settings`);
  await page.getByLabel('Language').selectOption({ label: 'Deutsch' });
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  await expect(page.getByRole('link', { name: 'Einstellungen' }).first()).toBeVisible();
  await expect(page.getByLabel('Sprache')).toHaveValue('de');
  await page.goto(server.url);
  await expect(page.getByRole('link', { name: 'Ereignisse' }).first()).toBeVisible();
  // Intl: a relative time, and a countdown in German units.
  await expect(page.locator('time').first()).toHaveText(/gerade eben|vor \d+ Min\./);
  await expect(page.getByText(/\d+ T, \d+ ?h|\d+ ?h, \d+ Min\./).first()).toBeVisible();
  await expectNoSeriousViolations(page, 'feed in German');

  // Another device (an English browser): the account's choice holds from the first screen after sign-in.
  const other = await browser.newContext({ locale: 'en-US' });
  const phone = await other.newPage();
  await signIn(server, phone.request);
  await phone.goto(server.url);
  await expect(phone.locator('html')).toHaveAttribute('lang', 'de');
  await expect(phone.getByRole('link', { name: 'Einstellungen' }).first()).toBeVisible();
  await phone.goto(`${server.url}/settings`);
  await expectNoSeriousViolations(phone, 'settings in German');
  // A third device opens Settings straight away: its texts come in German too, though the app started
  // in the browser's English and learnt the account's language while Settings was loading.
  const third = await browser.newContext({ locale: 'en-US' });
  const laptop = await third.newPage();
  await signIn(server, laptop.request);
  await laptop.goto(`${server.url}/settings`);
  await expect(laptop.getByLabel('Sprache')).toBeVisible();
  await expect(laptop.getByRole('heading', { level: 1 })).not.toHaveText(/^[0-9a-z]{1,3}$/);
  await third.close();
  // Back to the browser's language: English again.
  await phone.getByLabel('Sprache').selectOption({ value: '' });
  await expect(phone.locator('html')).toHaveAttribute('lang', 'en');
  await expect(phone.getByRole('link', { name: 'Settings' }).first()).toBeVisible();
  await other.close();

  // A German browser, signed out: the server's refusal of a wrong password in German (its `code`'s
  // text, loaded with this first error).
  const german = await browser.newContext({ locale: 'de-DE' });
  const signInPage = await german.newPage();
  await signInPage.goto(server.url);
  await signInPage.getByLabel('E-Mail').fill('owner@example.com');
  await signInPage.getByLabel('Passwort').fill('not the password');
  await signInPage.getByRole('button', { name: 'Anmelden' }).click();
  await expect(signInPage.getByRole('alert')).toContainText('Falsche E-Mail-Adresse oder falsches Passwort.');
  await german.close();
});

test('an Arabic-speaking member sees it right to left; titles, code and times keep their own direction', async ({ page }, testInfo) => {
  await signIn(server, page.request);
  await page.request.patch(`${server.url}/api/account`, { data: { locale: 'ar' }, headers: { origin: server.url } });
  for (const [device, viewport] of Object.entries({ phone: { width: 390, height: 844 }, desktop: { width: 1440, height: 900 } })) {
    await page.setViewportSize(viewport);
    await page.goto(server.url);
    await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
    await expect(page.locator('html')).toHaveAttribute('lang', 'ar');
    const title = page.getByRole('article', { name: STATE_EVENTS.ready }).first().getByRole('heading').first();
    await expect(title).toBeVisible();
    // An English title is laid out left to right inside the mirrored page.
    expect(await title.evaluate((el) => getComputedStyle(el).direction)).toBe('ltr');
    expect(await page.locator('main').evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
    await page.screenshot({ path: testInfo.outputPath(`arabic-${device}.png`) });
    await expectNoSeriousViolations(page, `feed in Arabic (${device})`);
  }
  // Mirrored where it should be: on a desktop the app's name is on the right, its pages' links on the left.
  const brand = await page.getByText('Switchboard', { exact: true }).first().boundingBox();
  const settings = await page.getByRole('link', { name: 'الإعدادات' }).first().boundingBox();
  expect(brand!.x).toBeGreaterThan(settings!.x);
  await page.goto(`${server.url}/settings`);
  await expectNoSeriousViolations(page, 'settings in Arabic');
  await page.request.patch(`${server.url}/api/account`, { data: { locale: null }, headers: { origin: server.url } });
});

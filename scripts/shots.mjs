// Screenshots of signed-in pages (phone 360 px and desktop, light and dark), for the README and for review.
// usage: node scripts/shots.mjs BASE_URL OUTDIR EMAIL PASSWORD PATH...
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from '@playwright/test';

const [base, out, email, password, ...paths] = process.argv.slice(2);
mkdirSync(out, { recursive: true });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
for (const [device, viewport, scale] of [['phone', { width: 360, height: 780 }, 2], ['desktop', { width: 1280, height: 860 }, 1]]) {
  for (const colorScheme of ['light', 'dark']) {
    const ctx = await browser.newContext({ viewport, deviceScaleFactor: scale, colorScheme, isMobile: device === 'phone', hasTouch: device === 'phone' });
    const res = await ctx.request.post(`${base}/api/auth/sign-in`, { data: { email, password }, headers: { origin: base } });
    if (!res.ok()) throw new Error(`sign-in failed: ${res.status()}`);
    const page = await ctx.newPage();
    for (const path of paths.length ? paths : ['/']) {
      await page.goto(new URL(path, base).href, { waitUntil: 'load' });
      await page.waitForTimeout(800);
      const name = `${path.replace(/[^a-z0-9]+/gi, '_').replace(/^_|_$/g, '') || 'feed'}-${device}-${colorScheme}.png`;
      await page.screenshot({ path: join(out, name) });
      console.log(join(out, name));
    }
    await ctx.close();
  }
}
await browser.close();

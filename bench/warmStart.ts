/**
 * Opening the app again from a phone's home screen: the service worker has every script, so what a
 * person waits for is the phone's CPU. A phone-sized page (412×823) with the CPU slowed 4× (as
 * Lighthouse's mobile emulation), signed in, the service worker installed and in control, is reloaded
 * RUNS times; medians of its first contentful paint (index.html's frame), the first event card drawn
 * and the largest contentful paint. Baseline, in the same run and browser: the same frame as a page
 * of static HTML with the app's stylesheet and no script at all, which is as fast as the frame can
 * be. Goal: the frame shows within 1.5× of it (the app's code must not hold it back).
 */
import { type BrowserContext, chromium, type Page } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHROMIUM_LAUNCH } from '../e2e/fixtures/browser.ts';
import { seedFeed, triageFirstScreen } from './lighthouse.ts';
import { BENCH_OWNER, type Benchmark, type BenchResult, makeTempDir, median, removeTempDir, ROOT, signIn, startServer } from './support.ts';

const RUNS = 7;
const FRAME_GOAL = 1.5;
/** Not a page of the app: the service worker leaves /api/ to the network, where the run answers it. */
const STATIC_FRAME = '/api/__bench-static-frame';


/** index.html without its scripts and preloads: the frame alone. */
function staticFrame(): string {
  const html = readFileSync(join(ROOT, 'dist', 'index.html'), 'utf8');
  return html.replace(/<script\b[\s\S]*?<\/script>/g, '').replace(/<link rel="modulepreload"[^>]*>/g, '');
}

interface Timings {
  fcp: number;
  card: number;
  lcp: number;
}

/** Reloads `path` and reads its paint timings; `card`: when the first event card was in the DOM (NaN: none). */
async function load(page: Page, url: string, withCard: boolean): Promise<Timings> {
  await page.goto(url);
  if (withCard) await page.locator('article').first().waitFor({ timeout: 30_000 });
  // A string, not a function: the TypeScript loader would wrap a function's inner functions in a helper the page lacks.
  return page.evaluate(`new Promise((resolve) => {
    const card = window.__firstCard ?? Number.NaN;
    const entry = (type, pick) => new Promise((done) => new PerformanceObserver((list) => done(pick(list.getEntries())?.startTime ?? Number.NaN)).observe({ type, buffered: true }));
    const fcp = entry('paint', (e) => e.find((p) => p.name === 'first-contentful-paint'));
    // The frame alone has no LCP candidate (an inline SVG is none).
    const lcp = ${withCard} ? entry('largest-contentful-paint', (e) => e[e.length - 1]) : Promise.resolve(Number.NaN);
    Promise.all([fcp, lcp]).then(([f, l]) => resolve({ fcp: f, card, lcp: l }));
  })`) as Promise<Timings>;
}

async function installedApp(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  const signedIn = await page.request.post(`${url}/api/auth/sign-in`, { data: { email: BENCH_OWNER.email, password: BENCH_OWNER.password }, headers: { origin: url } });
  if (signedIn.status() !== 200) throw new Error(`sign-in failed: ${signedIn.status()}`);
  await page.goto(url);
  await page.locator('article').first().waitFor({ timeout: 30_000 });
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await page.locator('article').first().waitFor({ timeout: 30_000 });
  if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null))) throw new Error('the service worker does not control the page');
  return page;
}

export async function runWarmStart(): Promise<BenchResult[]> {
  if (!existsSync(join(ROOT, 'dist', 'index.html'))) throw new Error('no build: run `npm run build` first');
  const dataDir = makeTempDir('switchboard-bench-warm-');
  await seedFeed(dataDir);
  const server = await startServer('server/main.ts', { DATA_DIR: dataDir, LOG_LEVEL: 'warn', PUBLIC_URL: '' });
  const browser = await chromium.launch({ ...CHROMIUM_LAUNCH, headless: true });
  try {
    await triageFirstScreen(server.url, await signIn(server.url, BENCH_OWNER.email, BENCH_OWNER.password));
    const context = await browser.newContext({ viewport: { width: 412, height: 823 }, deviceScaleFactor: 2.625, isMobile: true, hasTouch: true });
    await context.addInitScript(() => {
      // When the first event card is in the page (before it is painted: the paint is the LCP's).
      new MutationObserver((_, observer) => {
        if (!document.querySelector('article')) return;
        (window as unknown as { __firstCard?: number }).__firstCard = performance.now();
        observer.disconnect();
      }).observe(document, { childList: true, subtree: true });
    });
    const page = await installedApp(context, server.url);
    const frame = staticFrame();
    await context.route(`**${STATIC_FRAME}`, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: frame }));
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    const app: Timings[] = [];
    const bare: Timings[] = [];
    // Alternated, so both see the same moments of a noisy machine.
    for (let i = 0; i < RUNS; i++) {
      bare.push(await load(page, `${server.url}${STATIC_FRAME}`, false));
      app.push(await load(page, server.url, true));
    }
    const problems = [...app, ...bare].some((t) => Number.isNaN(t.fcp)) ? ['a load had no first contentful paint'] : [];
    if (app.some((t) => Number.isNaN(t.card))) problems.push('a load drew no event card');
    const frameFcp = median(bare.map((t) => t.fcp));
    const appFcp = median(app.map((t) => t.fcp));
    const card = median(app.map((t) => t.card));
    const lcp = median(app.map((t) => t.lcp));
    const details = { runs: RUNS, app, staticFrame: bare };
    return [
      { name: 'warm start: frame', metric: 'FCP ms', value: appFcp, baseline: frameFcp, ratio: appFcp / frameFcp, goal: FRAME_GOAL, goalLabel: `≤ ${FRAME_GOAL}× static`, passed: problems.length === 0 && appFcp / frameFcp <= FRAME_GOAL, problems, details },
      { name: 'warm start: first card', metric: 'ms', value: card, baseline: frameFcp, ratio: card / frameFcp, goal: 0, goalLabel: 'reported', passed: problems.length === 0, problems, details: { lcp } },
      { name: 'warm start: LCP', metric: 'ms', value: lcp, baseline: frameFcp, ratio: lcp / frameFcp, goal: 0, goalLabel: 'reported', passed: problems.length === 0, problems, details: {} },
    ];
  } finally {
    await browser.close();
    await server.stop();
    removeTempDir(dataDir);
  }
}

export const warmStartBenchmark: Benchmark = {
  name: 'warmstart',
  method:
    `A phone-sized page (412×823, CPU slowed 4×) with the app installed (service worker in control), reloaded ${RUNS} times: medians of the ` +
    'first contentful paint, the first event card in the DOM and the largest contentful paint, against the first contentful paint of the same ' +
    'frame as static HTML with the app\'s stylesheet and no script, alternated in the same browser.',
  async run() {
    console.log(`warmstart: the installed app reopened on a 4×-slowed phone, ${RUNS} times, against its frame as static HTML`);
    const results = await runWarmStart();
    for (const r of results) console.log(`  ${r.name}: ${r.value.toFixed(0)} ms (static frame ${r.baseline.toFixed(0)} ms, ${r.ratio.toFixed(2)}×)`);
    return results;
  },
};

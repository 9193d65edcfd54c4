/** The two ends bench/live.ts times: articles appearing in the page, and SSE messages in this process. */
import { LIVE_MESSAGES } from '../contract/api.ts';

export interface ArticleStamps {
  /** Event name → when its article entered the DOM (page clock: timeOrigin + now()). */
  dom: Record<string, number>;
  /** Event name → the next animation frame after that. */
  frame: Record<string, number>;
}

/**
 * Runs in the page (page.evaluate): a MutationObserver that stamps the first time an article whose
 * heading starts with `prefix` is added or gets its text. Results in window.__articleClock.
 * Pass it through articleClockScript: tsx's transform wraps named functions in a `__name` helper.
 */
function installArticleClock(prefix: string): void {
  const stamps: ArticleStamps = { dom: {}, frame: {} };
  (window as unknown as { __articleClock: ArticleStamps }).__articleClock = stamps;
  const look = (article: Element, t: number) => {
    const name = article.querySelector('h3')?.textContent ?? '';
    if (!name.startsWith(prefix) || Object.hasOwn(stamps.dom, name)) return;
    stamps.dom[name] = t;
    requestAnimationFrame(() => {
      stamps.frame[name] = performance.timeOrigin + performance.now();
    });
  };
  new MutationObserver((records) => {
    const t = performance.timeOrigin + performance.now();
    for (const record of records) {
      const target = record.target instanceof Element ? record.target : record.target.parentElement;
      const around = target?.closest('article');
      if (around) look(around, t);
      for (const node of record.addedNodes) {
        if (!(node instanceof Element)) continue;
        if (node.matches('article')) look(node, t);
        for (const article of node.querySelectorAll('article')) look(article, t);
      }
    }
  }).observe(document.body, { childList: true, subtree: true, characterData: true });
}

/** The page script for page.evaluate: installArticleClock's source, with a stand-in for tsx's helper. */
export function articleClockScript(prefix: string): string {
  return `(() => { const __name = (f) => f; (${installArticleClock.toString()})(${JSON.stringify(prefix)}); })()`;
}

/** A live `event` message's entry, as much of it as the probes read. */
export interface LiveMessage {
  event?: { id?: string; name?: string; decision?: unknown };
}

/**
 * Opens the SSE stream with a session cookie and returns once it answered: the map fills in the
 * background with `stamp(entry)` → arrival time (clock()) of the first `event` message for which
 * `stamp` names something (null: not one to time), until `signal` aborts.
 */
export async function sseStamps(url: string, cookie: string, stamp: (entry: LiveMessage) => string | null, clock: () => number, signal: AbortSignal): Promise<Map<string, number>> {
  const res = await fetch(url, { headers: { cookie, accept: 'text/event-stream' }, signal });
  if (res.status !== 200 || !res.body) throw new Error(`GET /api/stream answered ${res.status}`);
  const arrivals = new Map<string, number>();
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  const read = async () => {
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      const at = clock();
      buffer += decoder.decode(value, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const lines = buffer.slice(0, end).split('\n');
        buffer = buffer.slice(end + 2);
        if (!lines.includes(`event: ${LIVE_MESSAGES.event}`)) continue;
        const data = lines.find((l) => l.startsWith('data: '));
        const name = data ? stamp(JSON.parse(data.slice(6)) as LiveMessage) : null;
        if (name !== null && !arrivals.has(name)) arrivals.set(name, at);
      }
    }
  };
  read().catch(() => {}); // ends with an AbortError when the run is over
  return arrivals;
}

/** sseStamps for the events whose name starts with `prefix`, by name. */
export const sseArrivals = (url: string, cookie: string, prefix: string, clock: () => number, signal: AbortSignal) =>
  sseStamps(url, cookie, (entry) => (entry.event?.name?.startsWith(prefix) ? entry.event.name : null), clock, signal);

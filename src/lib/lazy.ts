/**
 * `React.lazy` that tries a chunk again before giving up. A phone that loses the network for a moment,
 * or a server restarting, makes one import fail; without this, the whole app would show its error
 * screen for a dialog that could not load. Three more tries, 0.5 s, 1 s and 2 s apart; each is a fresh
 * import (browsers do not keep a failed module fetch).
 */
import { type ComponentType, type LazyExoticComponent, lazy } from 'react';
import { loadNamespace } from '../i18n/i18n.ts';
import type { Namespace } from '../i18n/ids.ts';

const WAITS_MS = [500, 1000, 2000];

/** `load()`, tried again after each wait in `waits` while it fails; the last failure is thrown. */
export async function retrying<T>(load: () => Promise<T>, waits: readonly number[] = WAITS_MS): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await load();
    } catch (err) {
      if (attempt >= waits.length) throw err;
      await new Promise((r) => setTimeout(r, waits[attempt]));
    }
  }
}

/**
 * A lazy part's code with the texts it may name, loaded together: the first namespaces' texts the
 * first screen does not name (`later`, i18n/ids.ts) and, when given, its own namespace. Every lazy
 * import of the app's code goes through this or lazyRetry (test/i18n-lazy-texts.test.ts).
 */
export function withTexts<T>(load: () => Promise<T>, namespace?: Namespace): Promise<T> {
  return retrying(async () => (await Promise.all([load(), loadNamespace('later'), namespace ? loadNamespace(namespace) : undefined]))[0]);
}

/** React.lazy's own signature (its props are any component's), with the retries; `namespace`: the texts it needs. */
// biome-ignore lint/suspicious/noExplicitAny: as React.lazy's, so every component's props are inferred
export function lazyRetry<T extends ComponentType<any>>(load: () => Promise<{ default: T }>, namespace?: Namespace): LazyExoticComponent<T> {
  return lazy(() => withTexts(load, namespace));
}

/** A small router over the History API: routes are few, so a library would be weight without use. */
import { type AnchorHTMLAttributes, type MouseEvent, useSyncExternalStore } from 'react';

const listeners = new Set<() => void>();
const notify = () => {
  for (const l of listeners) l();
};
window.addEventListener('popstate', notify);

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function navigate(to: string, { replace = false } = {}): void {
  if (to === location.pathname + location.search) return;
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  notify();
}

export interface Location {
  path: string;
  search: URLSearchParams;
}

let cachedHref = '';
let cached: Location = { path: '/', search: new URLSearchParams() };
function snapshot(): Location {
  if (location.href !== cachedHref) {
    cachedHref = location.href;
    cached = { path: location.pathname, search: new URLSearchParams(location.search) };
  }
  return cached;
}

export function useLocation(): Location {
  return useSyncExternalStore(subscribe, snapshot);
}

/** Replaces some query parameters of the current URL (empty values are removed). */
export function setSearchParams(changes: Record<string, string | null>, { replace = true } = {}): void {
  const params = new URLSearchParams(location.search);
  for (const [k, v] of Object.entries(changes)) {
    if (v === null || v === '') params.delete(k);
    else params.set(k, v);
  }
  const qs = params.toString();
  navigate(`${location.pathname}${qs ? `?${qs}` : ''}`, { replace });
}

/** `scroll={false}`: stay where the page is (an event opened beside the feed keeps the feed's place). */
export function Link({ href, onClick, scroll = true, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string; scroll?: boolean }) {
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(href);
    if (scroll) window.scrollTo(0, 0);
  };
  return <a href={href} onClick={handle} {...rest} />;
}

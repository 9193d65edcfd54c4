/**
 * A link to a part of a page (`/p/x/settings#api-keys`): the router changes the URL without the
 * browser's own jump to the fragment, and the target may render later (a lazy page, data to load),
 * so wait for it for a few seconds, then scroll it into view below the sticky header and focus it.
 */
import type { MouseEvent } from 'react';
import { navigate } from '../../lib/router.tsx';

const HEADER_ROOM = 80;

function reveal(id: string, deadline: number): void {
  const el = document.getElementById(id);
  if (!el) {
    if (Date.now() < deadline) requestAnimationFrame(() => reveal(id, deadline));
    return;
  }
  const top = el.getBoundingClientRect().top + window.scrollY - HEADER_ROOM;
  const reduce = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  window.scrollTo({ top: Math.max(0, top), behavior: reduce ? 'auto' : 'smooth' });
  if (!el.hasAttribute('tabindex')) el.setAttribute('tabindex', '-1');
  el.focus({ preventScroll: true });
}

/** The onClick of an `<a href="/path#id">`: a plain click stays in the app and lands on `id`. */
export function goToSection(path: string, id: string) {
  return (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    if (path !== location.pathname) navigate(`${path}#${id}`);
    else if (location.hash !== `#${id}`) history.replaceState(history.state, '', `${path}${location.search}#${id}`);
    reveal(id, Date.now() + 5000);
  };
}

import { navigate } from '../../lib/router.tsx';
import type { QueryClient } from '@tanstack/react-query';
import { sendTriage } from '../feed/triage/api.ts';
import { replaceEvent } from '../feed/liveCache.ts';
import { projectFromPath } from '../projects/current.ts';
import { allEventHref, allFeedHref, eventHref, feedHref } from '../feed/links.ts';
import { inAllProjects, matchAppPage, openEventOf } from '../../../contract/appPages.ts';
import { keyPress, shortcutFor } from './shortcuts.ts';

import { shortcutHelp } from './shortcutHelp.ts';

const cards = () => [...document.querySelectorAll<HTMLElement>('article[data-event-id]')];

function focusCard(card: HTMLElement | undefined): void {
  if (!card) return;
  card.focus({ preventScroll: true });
  card.scrollIntoView({ block: 'nearest' });
}

/** The card j/k move from: the focused one, else the one open beside the feed. */
function currentCard(list: HTMLElement[]): number {
  const focused = list.findIndex((c) => c.contains(document.activeElement));
  if (focused >= 0) return focused;
  return list.findIndex((c) => c.querySelector('[aria-current="true"]') !== null);
}


/**
 * The keyboard's shortcuts (loaded by ./useShortcuts.ts when a key is first pressed, or at once on a
 * wide screen). j / k move between the feed's cards, Enter opens the focused one, a acknowledges it,
 * e resolves it (again: reopens it), / searches,
 * Esc closes an open event, g p (or ⌘K / Ctrl+K) goes to the project switcher, ? lists them. Only
 * while no field has focus (⌘K: even then) and no dialog is open.
 */
export function createShortcutHandler(wide: boolean, qc: QueryClient): (e: KeyboardEvent) => void {
  // The key before this one, for `g p` (forgotten after a second).
  let last: { key: string; at: number } | null = null;
  const onKey = (e: KeyboardEvent) => {
    const previous = last && Date.now() - last.at < 1000 ? last.key : null;
    last = { key: e.key, at: Date.now() };
    const shortcut = shortcutFor(
      keyPress(e),
      previous,
    );
    if (!shortcut) return;
    if (shortcut === 'project') {
      const switcher = document.querySelector<HTMLSelectElement>('select[data-project-switcher]');
      if (!switcher) return;
      e.preventDefault();
      switcher.focus();
      // Opens the list where the browser can (Chromium); elsewhere the arrow keys choose.
      try {
        switcher.showPicker?.();
      } catch {
        // Not allowed without a user gesture in some browsers: focus is enough.
      }
      return;
    }
    const { slug } = projectFromPath(location.pathname);
    const search = new URLSearchParams(location.search);
    const page = matchAppPage(location.pathname);
    // The feed this page belongs to: its project's, or All projects.
    const feed = () => (inAllProjects(page) ? allFeedHref(search) : feedHref(slug, search));
    const list = cards();
    const at = currentCard(list);
    if (shortcut === 'next' || shortcut === 'previous') {
      if (list.length === 0) return;
      e.preventDefault();
      focusCard(list[at < 0 ? 0 : Math.min(list.length - 1, Math.max(0, at + (shortcut === 'next' ? 1 : -1)))]);
    } else if (shortcut === 'open') {
      // Only a focused card: Enter on a link or a button does what it always does.
      const card = e.target instanceof HTMLElement && e.target.matches('article[data-event-id]') ? e.target : null;
      if (!card) return;
      e.preventDefault();
      // A card of the All projects feed opens beside that feed.
      navigate(card.dataset.project ? allEventHref(card.dataset.eventId!, search) : eventHref(slug, card.dataset.eventId!, search));
      if (!wide) window.scrollTo(0, 0);
    } else if (shortcut === 'search') {
      const box = document.querySelector<HTMLInputElement>('[data-feed-search]');
      e.preventDefault();
      if (box) box.focus();
      else {
        navigate(feed());
        requestAnimationFrame(() => document.querySelector<HTMLInputElement>('[data-feed-search]')?.focus());
      }
    } else if (shortcut === 'close') {
      const open = openEventOf(page);
      if (open === null) return;
      e.preventDefault();
      navigate(feed());
      // Back on the card of the event that was open, where the feed was.
      requestAnimationFrame(() => focusCard(cards().find((c) => c.dataset.eventId === open)));
    } else if (shortcut === 'handled' || shortcut === 'acknowledge') {
      // The focused card, else the one open beside the feed, else the event this page shows (its state
      // bar): acknowledged; resolved, or reopened. Every open app (this one included) hears it on the
      // live stream; a viewer's 403, or a change its state does not allow (409), changes nothing.
      const target = list[at] ?? document.querySelector<HTMLElement>('[data-triage-bar]');
      const id = target?.dataset.eventId;
      const state = target?.dataset.state;
      if (!target || !id || !state) return;
      e.preventDefault();
      const change = shortcut === 'acknowledge' ? 'ack' : state === 'resolved' ? 'reopen' : 'resolve';
      if (change === 'ack' && state !== 'open') return;
      const project = target.dataset.project ?? slug;
      sendTriage(project, id, { kind: change }).then(
        (updated) => replaceEvent(qc, updated, project),
        () => undefined,
      );
    } else {
      e.preventDefault();
      shortcutHelp.set(true);
    }
  };
  return onKey;
}

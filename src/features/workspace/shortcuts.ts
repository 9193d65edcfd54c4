/** The keyboard shortcuts of the feed, as one pure rule (the hook in useShortcuts.ts acts on it). */
import { t } from '../../i18n/i18n.ts';

/** `handled`: resolve the event (again: reopen it); `acknowledge`: say "I'm on it" (§12). */
export type Shortcut = 'next' | 'previous' | 'open' | 'search' | 'close' | 'help' | 'acknowledge' | 'handled' | 'project';

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** Focus is in a text field, a select or an editable element: keys are typing there. */
  inField: boolean;
  /** A dialog is open (the confirm step, a sheet): it owns the keyboard. */
  inDialog: boolean;
}

/** The `?` sheet's list: the keys (never translated) and what they do (in the app's language, when shown). */
export const SHORTCUTS: { keys: string; what: () => string }[] = [
  { keys: 'j', what: () => t('feed.keys.next') },
  { keys: 'k', what: () => t('feed.keys.previous') },
  { keys: 'Enter', what: () => t('feed.keys.openEvent') },
  { keys: '/', what: () => t('feed.keys.search') },
  { keys: 'Esc', what: () => t('feed.keys.close') },
  { keys: 'a', what: () => t('feed.keys.ack') },
  { keys: 'e', what: () => t('feed.keys.resolve') },
  { keys: 'g p', what: () => t('feed.keys.project') },
  { keys: '?', what: () => t('feed.keys.help') },
];

/**
 * `previous`: the key pressed just before (within a second), for two-key shortcuts such as `g p`.
 */
export function shortcutFor(e: KeyPress, previous: string | null = null): Shortcut | null {
  if (e.inDialog) return null;
  // ⌘K / Ctrl+K: the project switcher, even from a text field (the search box is one).
  if ((e.metaKey || e.ctrlKey) && !e.altKey && e.key.toLowerCase() === 'k') return 'project';
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  // Escape leaves a text field first (the browser clears a search box); a second one closes.
  if (e.inField) return null;
  switch (e.key) {
    case 'j':
      return 'next';
    case 'k':
      return 'previous';
    case 'Enter':
      return 'open';
    case '/':
      return 'search';
    case 'Escape':
      return 'close';
    case '?':
      return 'help';
    case 'a':
      return 'acknowledge';
    case 'e':
      return 'handled';
    case 'p':
      return previous === 'g' ? 'project' : null;
    default:
      return null;
  }
}

/** What the rule needs of a key event in the page: the key, and whether a field or a dialog has it. */
export function keyPress(e: KeyboardEvent): KeyPress {
  const target = e.target;
  const inField =
    target instanceof HTMLElement &&
    (target.isContentEditable || target.matches('input:not([type=checkbox]):not([type=radio]):not([type=button]), textarea, select'));
  return { key: e.key, ctrlKey: e.ctrlKey, metaKey: e.metaKey, altKey: e.altKey, inField, inDialog: document.querySelector('dialog[open]') !== null };
}

import type { KeyboardEvent, MouseEvent, RefObject } from 'react';
import { useFocusOnMount } from '../lib/useFocusOnMount.ts';

export type MenuSize = 'md' | 'sm';

/**
 * A "More" menu's button (the ⋯): MenuButton's, and on a feed card the same button drawn before its
 * menu's code has loaded (TriageMenuSlot), so both look and read alike — a `button` with
 * aria-haspopup="menu". `size`: `sm` is a desk row's or card's quieter button (still 44 px to touch).
 */
export function MenuTrigger({
  id,
  label,
  describedBy,
  size,
  expanded,
  controls,
  onClick,
  onKeyDown,
  ref,
  focusOnMount = false,
}: {
  id?: string;
  label: string;
  describedBy?: string;
  size: MenuSize;
  expanded: boolean;
  controls?: string;
  onClick: (e: MouseEvent<HTMLButtonElement>) => void;
  onKeyDown: (e: KeyboardEvent<HTMLButtonElement>) => void;
  ref?: RefObject<HTMLButtonElement | null>;
  /** Take focus when drawn (the button pressed was replaced by this one while its menu loads). */
  focusOnMount?: boolean;
}) {
  const button = useFocusOnMount(ref, focusOnMount);
  return (
    <button
      ref={button}
      id={id}
      type="button"
      aria-label={label}
      aria-describedby={describedBy}
      aria-haspopup="menu"
      aria-expanded={expanded}
      aria-controls={controls}
      onClick={onClick}
      onKeyDown={onKeyDown}
      className={
        size === 'sm'
          ? 'inline-flex min-h-11 min-w-11 items-center justify-center rounded-lg text-slate-600 hover:bg-slate-100 aria-expanded:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800 dark:aria-expanded:bg-slate-800'
          : 'inline-flex min-h-11 min-w-11 items-center justify-center rounded-lg bg-white text-slate-700 ring-1 ring-slate-300 hover:bg-slate-100 aria-expanded:bg-slate-100 dark:bg-slate-900 dark:text-slate-200 dark:ring-slate-700 dark:hover:bg-slate-800 dark:aria-expanded:bg-slate-800'
      }
    >
      <svg aria-hidden="true" viewBox="0 0 24 24" className="size-5" fill="currentColor">
        <circle cx="5" cy="12" r="1.75" />
        <circle cx="12" cy="12" r="1.75" />
        <circle cx="19" cy="12" r="1.75" />
      </svg>
    </button>
  );
}

/** The keys that open a menu from its button, and where focus goes in it. */
export function menuKeyOpens(key: string): 'first' | 'last' | null {
  return key === 'ArrowDown' ? 'first' : key === 'ArrowUp' ? 'last' : null;
}

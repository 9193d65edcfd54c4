/**
 * A member's "More" menu in Settings → Members (the WAI-ARIA menu button): a `button` with
 * aria-haspopup="menu" opens a `menu` of `menuitem`s. Opening focuses the first item (the last with
 * ArrowUp on the button); ArrowUp/ArrowDown move and wrap, Home/End jump; Escape closes and focus goes
 * back to the button, as it does after choosing an item; Tab, a click elsewhere or focus leaving close it.
 */
import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';

export interface MenuItem {
  /** The item's text and accessible name, the person in it ("Make Maria an owner"). */
  label: string;
  onSelect: () => void;
  disabled?: boolean;
}

/** How wide the menu is (w-64): it opens to the left of the button unless that would leave the screen. */
const MENU_WIDTH = 256;

const itemsOf = (menu: HTMLElement | null) => [...(menu?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? [])];

export function MemberMenu({ who, items }: { who: string; items: MenuItem[] }) {
  const [open, setOpen] = useState<false | 'first' | 'last'>(false);
  const [alignLeft, setAlignLeft] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const buttonId = useId();
  const menuId = useId();

  const show = (at: 'first' | 'last') => {
    const box = buttonRef.current?.getBoundingClientRect();
    setAlignLeft(box !== undefined && box.right < MENU_WIDTH + 8);
    setOpen(at);
  };
  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) buttonRef.current?.focus();
  };

  useEffect(() => {
    if (!open) return;
    const els = itemsOf(menuRef.current);
    (open === 'first' ? els[0] : els[els.length - 1])?.focus();
    // A press anywhere else closes the menu; focus stays where that press put it.
    const outside = (e: PointerEvent) => {
      const target = e.target as Node;
      if (!menuRef.current?.contains(target) && !buttonRef.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, [open]);

  const onButtonKey = (e: KeyboardEvent<HTMLButtonElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      show(e.key === 'ArrowDown' ? 'first' : 'last');
    }
  };
  const onMenuKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const els = itemsOf(menuRef.current);
    const at = els.indexOf(document.activeElement as HTMLButtonElement);
    const move = (to: number) => {
      e.preventDefault();
      els[(to + els.length) % els.length]?.focus();
    };
    if (e.key === 'ArrowDown') move(at + 1);
    else if (e.key === 'ArrowUp') move(at - 1);
    else if (e.key === 'Home') move(0);
    else if (e.key === 'End') move(els.length - 1);
    else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      close(true);
    } else if (e.key === 'Tab') close(false);
  };

  return (
    <div className="relative">
      <button
        ref={buttonRef}
        id={buttonId}
        type="button"
        aria-label={`More for ${who}`}
        aria-haspopup="menu"
        aria-expanded={open !== false}
        aria-controls={open ? menuId : undefined}
        onClick={() => (open ? close(false) : show('first'))}
        onKeyDown={onButtonKey}
        className="inline-flex min-h-11 min-w-11 items-center justify-center rounded-lg bg-white text-slate-700 ring-1 ring-slate-300 hover:bg-slate-100 aria-expanded:bg-slate-100 dark:bg-slate-900 dark:text-slate-200 dark:ring-slate-700 dark:hover:bg-slate-800 dark:aria-expanded:bg-slate-800"
      >
        <svg aria-hidden="true" viewBox="0 0 24 24" className="size-5" fill="currentColor">
          <circle cx="5" cy="12" r="1.75" />
          <circle cx="12" cy="12" r="1.75" />
          <circle cx="19" cy="12" r="1.75" />
        </svg>
      </button>
      {open && (
        <div
          ref={menuRef}
          id={menuId}
          role="menu"
          aria-labelledby={buttonId}
          tabIndex={-1}
          onKeyDown={onMenuKey}
          onBlur={(e) => {
            // Focus left for somewhere outside the menu and its button (Tab, a click elsewhere).
            const next = e.relatedTarget as Node | null;
            if (next && !menuRef.current?.contains(next) && next !== buttonRef.current) setOpen(false);
          }}
          className={`absolute top-full z-20 mt-1 flex w-64 max-w-[calc(100vw-1.5rem)] flex-col rounded-lg bg-white p-1 text-left shadow-lg ring-1 ring-slate-300 dark:bg-slate-900 dark:ring-slate-700 ${alignLeft ? 'left-0' : 'right-0'}`}
        >
          {items.map((item) => (
            <button
              key={item.label}
              type="button"
              role="menuitem"
              tabIndex={-1}
              aria-disabled={item.disabled || undefined}
              onClick={() => {
                if (item.disabled) return;
                close(true);
                item.onSelect();
              }}
              className="flex min-h-11 w-full items-center rounded-md px-3 text-left text-sm font-medium text-slate-800 hover:bg-slate-100 focus:bg-sky-50 focus:outline-2 focus:-outline-offset-2 focus:outline-sky-700 aria-disabled:cursor-not-allowed aria-disabled:opacity-60 dark:text-slate-100 dark:hover:bg-slate-800 dark:focus:bg-slate-800 dark:focus:outline-sky-400"
            >
              {item.label}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

/**
 * A "More" menu (the WAI-ARIA menu button) — a member's in Settings → Members, an event's on its card
 * and desk row: a `button` with
 * aria-haspopup="menu" opens a `menu` of `menuitem`s. Opening focuses the first item (the last with
 * ArrowUp on the button); ArrowUp/ArrowDown move and wrap, Home/End jump; Escape closes and focus goes
 * back to the button, as it does after choosing an item; Tab, a click elsewhere or focus leaving close it.
 */
import { type CSSProperties, type KeyboardEvent, useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { MenuTrigger, type MenuSize, menuKeyOpens } from './MenuTrigger.tsx';

export interface MenuItem {
  /** The item's text and accessible name, the person in it ("Make Maria an owner"). */
  label: string;
  onSelect: () => void;
  disabled?: boolean;
}

/** How wide the menu is (w-64): it opens to the left of the button unless that would leave the screen. */
const MENU_WIDTH = 256;

const itemsOf = (menu: HTMLElement | null) => [...(menu?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? [])];

/** One item's height (min-h-11) and the menu's padding: to open upwards when below would leave the screen. */
const ITEM_HEIGHT = 44;

/**
 * `label`: the button's accessible name ("More for Maria"; "More", described by the event's title,
 * `describedBy`, on an event's card); `size`: `sm` is a
 * desk row's quieter button (still 44 px to touch). `floating`: the menu is drawn over the page (in
 * document.body, fixed beside the button) — for a button inside the feed's list, whose rows would
 * otherwise cover it; a scroll closes it.
 */
export function MenuButton({
  label,
  items,
  size = 'md',
  floating = false,
  describedBy,
  openAt,
}: {
  label: string;
  items: MenuItem[];
  size?: MenuSize;
  floating?: boolean;
  describedBy?: string;
  /** Open as soon as it is drawn, focus on the first or last item: its button was pressed before the menu's code loaded. */
  openAt?: 'first' | 'last';
}) {
  const [open, setOpen] = useState<false | 'first' | 'last'>(false);
  const [alignLeft, setAlignLeft] = useState(false);
  const [place, setPlace] = useState<CSSProperties>({});
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const buttonId = useId();
  const menuId = useId();

  const show = (at: 'first' | 'last') => {
    const box = buttonRef.current?.getBoundingClientRect();
    setAlignLeft(box !== undefined && box.right < MENU_WIDTH + 8);
    if (floating && box) {
      const up = box.bottom + items.length * ITEM_HEIGHT + 12 > window.innerHeight && box.top > items.length * ITEM_HEIGHT + 12;
      setPlace({
        position: 'fixed',
        ...(up ? { bottom: window.innerHeight - box.top + 4 } : { top: box.bottom + 4 }),
        ...(box.right < MENU_WIDTH + 8 ? { left: Math.max(8, box.left) } : { right: Math.max(8, window.innerWidth - box.right) }),
      });
    }
    setOpen(at);
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, when drawn
  useLayoutEffect(() => {
    if (openAt) show(openAt);
  }, []);
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
    // Drawn fixed over the page, it would part from its button on a scroll: it closes instead.
    const scrolled = (e: Event) => {
      if (!menuRef.current?.contains(e.target as Node)) setOpen(false);
    };
    if (floating) {
      window.addEventListener('scroll', scrolled, true);
      window.addEventListener('resize', scrolled);
    }
    return () => {
      document.removeEventListener('pointerdown', outside);
      window.removeEventListener('scroll', scrolled, true);
      window.removeEventListener('resize', scrolled);
    };
  }, [open, floating]);

  const onButtonKey = (e: KeyboardEvent<HTMLButtonElement>) => {
    const at = menuKeyOpens(e.key);
    if (at) {
      e.preventDefault();
      show(at);
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
    } else if (e.key === 'Tab') {
      // Drawn at the page's end, Tab would leave for the browser: back to the button instead.
      if (floating) e.preventDefault();
      close(floating);
    }
  };

  const menu = (
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
      style={floating ? place : undefined}
      className={`${floating ? 'z-40' : `absolute top-full z-20 mt-1 ${alignLeft ? 'left-0' : 'right-0'}`} flex w-64 max-w-[calc(100vw-1.5rem)] flex-col rounded-lg bg-white p-1 text-start shadow-lg ring-1 ring-slate-300 dark:bg-slate-900 dark:ring-slate-700`}
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
          className="flex min-h-11 w-full items-center rounded-md px-3 text-start text-sm font-medium text-slate-800 hover:bg-slate-100 focus:bg-sky-50 focus:outline-2 focus:-outline-offset-2 focus:outline-sky-700 aria-disabled:cursor-not-allowed aria-disabled:opacity-60 dark:text-slate-100 dark:hover:bg-slate-800 dark:focus:bg-slate-800 dark:focus:outline-sky-400"
        >
          {item.label}
        </button>
      ))}
    </div>
  );

  return (
    <div className="relative">
      <MenuTrigger
        ref={buttonRef}
        id={buttonId}
        label={label}
        describedBy={describedBy}
        size={size}
        expanded={open !== false}
        controls={open ? menuId : undefined}
        onClick={() => (open ? close(false) : show('first'))}
        onKeyDown={onButtonKey}
      />
      {open && (floating ? createPortal(menu, document.body) : menu)}
    </div>
  );
}

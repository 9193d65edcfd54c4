import type { Ref } from 'react';

/**
 * "Get started · 3 of 7": the checklist folded to one line. On a phone it sits in the header's empty
 * right side, so the feed keeps its place (no extra row).
 */
export function FoldedChecklist({ label, onOpen, ref }: { label: string; onOpen: () => void; ref?: Ref<HTMLButtonElement> }) {
  return (
    <button
      ref={ref}
      type="button"
      aria-expanded={false}
      onClick={onOpen}
      className="flex min-h-11 items-center gap-2 rounded-xl border border-slate-200 bg-white px-3 text-start text-sm font-medium text-slate-800 shadow-sm hover:bg-slate-50 max-sm:fixed max-sm:top-[calc(env(safe-area-inset-top)+0.375rem)] max-sm:end-3 max-sm:z-40 max-sm:max-w-[calc(100vw-12.5rem)] sm:w-full dark:border-slate-800 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800"
    >
      <span className="truncate">{label}</span>
      <span aria-hidden="true" className="ms-auto text-slate-500 max-sm:hidden dark:text-slate-400">
        ▾
      </span>
    </button>
  );
}

import { type ReactNode, useId } from 'react';
import { useModalDialog } from './useModalDialog.ts';
import { t } from '../i18n/i18n.ts';

/**
 * A modal sheet: from the bottom edge on a phone, centred on a wider screen; titled, with a Done
 * button; Escape and a tap on the backdrop close it, and focus goes back where it was.
 */
export function Sheet({ title, onClose, children }: { title: string; onClose: () => void; children: ReactNode }) {
  const ref = useModalDialog();
  const titleId = useId();
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: a tap on the backdrop closes it; the keyboard has Escape and Done
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onClick={(e) => {
        if (e.target === ref.current) onClose();
      }}
      className="mx-auto mb-0 mt-auto w-full max-w-none rounded-t-2xl border border-slate-200 bg-white p-0 pb-[env(safe-area-inset-bottom)] text-slate-900 shadow-2xl backdrop:bg-slate-950/50 sm:m-auto sm:w-[min(30rem,calc(100vw-2rem))] sm:rounded-2xl dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
    >
      <div className="flex flex-col gap-3 p-4">
        <div className="flex items-center justify-between gap-2">
          <h2 id={titleId} className="text-base font-semibold">
            {title}
          </h2>
          <button
            type="button"
            onClick={onClose}
            className="min-h-11 rounded-lg px-3 text-sm font-medium text-sky-800 hover:bg-slate-100 dark:text-sky-300 dark:hover:bg-slate-800"
          >
            {t('core.done')}
          </button>
        </div>
        {children}
      </div>
    </dialog>
  );
}

/**
 * The one confirm step of the app (an action's press, deleting an event): a modal `alertdialog` named
 * by its title and described by its body, with `Cancel` and a confirm button. Focus starts on Cancel
 * (the safe button); Escape cancels unless the request is already on its way; when it closes, focus
 * goes back to whatever opened it (`returnFocus: false` when the opener handles that itself).
 */
import { type ReactNode, useId, useRef } from 'react';
import { useModalDialog } from './useModalDialog.ts';
import { Button } from './ui.tsx';
import { t } from '../i18n/i18n.ts';

interface AlertDialogProps {
  title: ReactNode;
  /** What will happen: the dialog's description. */
  children: ReactNode;
  /** The confirm button's text, and its accessible name. */
  confirmLabel: string;
  /** Shown on the confirm button while the request is on its way. */
  pendingContent?: ReactNode;
  tone: 'danger' | 'primary' | 'settled';
  pending: boolean;
  /** The confirm button is off (a teammate did it meanwhile); Cancel still closes. */
  confirmDisabled?: boolean;
  /** Below the buttons or above them: live text (what a teammate did, how long the receiver may take). */
  before?: ReactNode;
  after?: ReactNode;
  returnFocus?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

export function AlertDialog({
  title,
  children,
  confirmLabel,
  pendingContent,
  tone,
  pending,
  confirmDisabled = false,
  before,
  after,
  returnFocus = true,
  onConfirm,
  onCancel,
}: AlertDialogProps) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  const ref = useModalDialog(cancelRef, returnFocus);
  const titleId = useId();
  const bodyId = useId();

  return (
    <dialog
      ref={ref}
      role="alertdialog"
      aria-modal="true"
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      aria-busy={pending}
      onCancel={(e) => {
        // Escape: cancel, unless the request is already on its way.
        e.preventDefault();
        if (!pending) onCancel();
      }}
      className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-2xl border border-slate-200 bg-white p-0 text-slate-900 shadow-2xl backdrop:bg-slate-950/60 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
    >
      <div className="flex flex-col gap-4 p-5">
        <h2 id={titleId} className="text-lg font-semibold">
          {title}
        </h2>
        <div id={bodyId} className="flex flex-col gap-2 text-sm text-slate-700 dark:text-slate-300">
          {children}
        </div>
        {before}
        <div className="flex flex-wrap justify-end gap-2">
          <Button ref={cancelRef} onClick={onCancel} disabled={pending}>
            {t('core.cancel')}
          </Button>
          <Button tone={tone} onClick={onConfirm} disabled={pending || confirmDisabled} aria-label={confirmLabel}>
            {pending && pendingContent !== undefined ? pendingContent : confirmLabel}
          </Button>
        </div>
        {after}
      </div>
    </dialog>
  );
}

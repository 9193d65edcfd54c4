import { useEffect, useId, useRef } from 'react';
import type { ActionDto } from '../../../contract/api.ts';
import { Button } from '../../app/ui.tsx';

interface ConfirmActionDialogProps {
  action: ActionDto;
  eventTitle: string;
  pending: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/**
 * The confirm step before any webhook action: names the action, the event and the host it will
 * call (the full URL one tap away). Focus starts on Cancel; Escape cancels; it cannot be sent twice.
 */
export function ConfirmActionDialog({ action, eventTitle, pending, onConfirm, onCancel }: ConfirmActionDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const bodyId = useId();
  const host = new URL(action.url).host;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (!dialog.open) dialog.showModal();
    cancelRef.current?.focus();
    return () => dialog.close();
  }, []);

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
          {action.buttonText}?
        </h2>
        <div id={bodyId} className="flex flex-col gap-2 text-sm text-slate-600 dark:text-slate-300">
          <p>
            For “<span className="font-medium text-slate-900 dark:text-white">{eventTitle}</span>”, Switchboard will send a request to{' '}
            <span className="font-mono font-medium text-slate-900 dark:text-white">{host}</span>.
          </p>
          <details className="text-xs">
            <summary className="min-h-11 cursor-pointer content-center">Show the full URL</summary>
            <p className="break-all font-mono">{action.url}</p>
          </details>
        </div>
        <div className="flex flex-wrap justify-end gap-2">
          <Button ref={cancelRef} onClick={onCancel} disabled={pending}>
            Cancel
          </Button>
          <Button tone={action.type === 'danger' ? 'danger' : 'primary'} onClick={onConfirm} disabled={pending} aria-label={action.buttonText}>
            {pending ? (
              <>
                <span aria-hidden="true" className="size-4 animate-spin rounded-full border-2 border-current border-t-transparent" />
                Sending…
              </>
            ) : (
              action.buttonText
            )}
          </Button>
        </div>
        <p aria-live="polite" className="sr-only">
          {pending ? `Sending ${action.buttonText}…` : ''}
        </p>
      </div>
    </dialog>
  );
}

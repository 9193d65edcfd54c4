import { useEffect, useId, useRef } from 'react';
import type { ActionDto, EventDto } from '../../../contract/api.ts';
import { Button } from '../../app/ui.tsx';
import { useWebhookTimeoutMs } from '../auth/api.ts';
import { formatRemaining } from './countdown.ts';
import { metaSummary } from './metaSummary.ts';

interface ConfirmActionDialogProps {
  action: ActionDto;
  event: EventDto;
  eventTitle: string;
  /** How long the action stays valid, by the server's clock. */
  remainingMs: number;
  pending: boolean;
  /** What a teammate did meanwhile (done, pressing now), in words; `blocks`: nothing can be sent. */
  teammate: { text: string; blocks: boolean } | null;
  onConfirm: () => void;
  onCancel: () => void;
}

/**
 * The confirm step before any webhook action: what will be sent, about whom, to which host, how long
 * it stays valid, and — for danger actions — that it cannot be undone. Focus starts on Cancel; Escape
 * cancels; it cannot be sent twice; while the receiver works it says how long it may take.
 */
export function ConfirmActionDialog({ action, event, eventTitle, remainingMs, pending, teammate, onConfirm, onCancel }: ConfirmActionDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const bodyId = useId();
  const host = new URL(action.url).host;
  const timeoutS = Math.round(useWebhookTimeoutMs() / 1000);
  const meta = metaSummary(action.meta);
  const danger = action.type === 'danger';

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (!dialog.open) dialog.showModal();
    cancelRef.current?.focus();
    return () => dialog.close();
  }, []);

  const strong = 'font-medium text-slate-900 dark:text-white';
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
        <div id={bodyId} className="flex flex-col gap-2 text-sm text-slate-700 dark:text-slate-300">
          <p>
            For “<span className={strong}>{eventTitle}</span>”
            {event.userId ? (
              <>
                {' '}
                about user <span className={`font-mono ${strong}`}>{event.userId}</span>
              </>
            ) : null}
            , Switchboard will send a request to <span className={`font-mono ${strong}`}>{host}</span>.
          </p>
          {danger && <p className="font-medium text-red-800 dark:text-red-300">This cannot be undone.</p>}
          {!teammate?.blocks && <p>{remainingMs > 0 ? `You can do this for another ${formatRemaining(remainingMs)}.` : 'This action has expired.'}</p>}
          {meta.length > 0 && (
            <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 rounded-lg bg-slate-50 px-3 py-2 text-xs dark:bg-slate-800">
              {meta.map(([k, v]) => (
                <div key={k} className="contents">
                  <dt className="text-slate-600 dark:text-slate-300">{k}</dt>
                  <dd className="min-w-0 break-all font-mono text-slate-900 dark:text-white">{v}</dd>
                </div>
              ))}
            </dl>
          )}
          <details className="text-xs">
            <summary className="min-h-11 cursor-pointer content-center">Show the full URL</summary>
            <p className="break-all font-mono">{action.url}</p>
          </details>
        </div>
        {/* Follows the live stream: a teammate's press shows here at once, and the confirm button stops. */}
        <p role="status" className={teammate ? 'rounded-lg bg-amber-50 px-3 py-2 text-sm font-medium text-amber-950 dark:bg-amber-950 dark:text-amber-100' : 'sr-only'}>
          {teammate ? `${teammate.text}${teammate.blocks ? ' Nothing will be sent.' : ''}` : ''}
        </p>
        <div className="flex flex-wrap justify-end gap-2">
          <Button ref={cancelRef} onClick={onCancel} disabled={pending}>
            Cancel
          </Button>
          <Button
            tone={teammate?.blocks ? 'settled' : danger ? 'danger' : 'primary'}
            onClick={onConfirm}
            disabled={pending || teammate?.blocks === true}
            aria-label={action.buttonText}
          >
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
        <p aria-live="polite" className={pending ? 'text-sm text-slate-700 dark:text-slate-300' : 'sr-only'}>
          {pending ? `Waiting for the receiver, up to ${timeoutS} s…` : ''}
        </p>
      </div>
    </dialog>
  );
}

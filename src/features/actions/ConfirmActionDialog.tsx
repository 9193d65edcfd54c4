import type { ActionDto, EventDto } from '../../../contract/api.ts';
import { AlertDialog } from '../../components/AlertDialog.tsx';
import { useWebhookTimeoutMs } from '../auth/api.ts';
import { formatRemaining } from './countdown.ts';
import { metaSummary } from './metaSummary.ts';
import { teammateNote } from './teammate.ts';
import { PressRequirements } from '../policy/PressRequirements.tsx';

interface ConfirmActionDialogProps {
  action: ActionDto;
  event: EventDto;
  eventTitle: string;
  /** How long the action stays valid, by the server's clock. */
  remainingMs: number;
  /** This person's own press is on its way. */
  pending: boolean;
  /** The project whose policy applies (the requirements are said before the press). */
  slug: string;
  /** The server refused the press (presses are frozen), in a sentence: said here, and nothing more can be sent. */
  refusal?: string | null;
  onConfirm: () => void;
  onCancel: () => void;
}

/**
 * The confirm step before any webhook action: the sender's own sentence for it first (confirmText),
 * then what will be sent, about whom, to which host, how long it stays valid, for danger actions that
 * it cannot be undone, and what the project's policy will require of the press (or that presses are
 * frozen). It follows what teammates do (the live stream) and stops its confirm button when one of
 * them did it; while the receiver works it says how long that may take. The button that opened it takes the focus back (WebhookActionButton).
 */
export function ConfirmActionDialog({ action, event, eventTitle, remainingMs, pending, slug, refusal = null, onConfirm, onCancel }: ConfirmActionDialogProps) {
  // What a teammate did meanwhile (done, pressing now), in words; `blocks`: nothing can be sent.
  const teammate = teammateNote(action, remainingMs, pending);
  const host = new URL(action.url).host;
  const timeoutS = Math.round(useWebhookTimeoutMs() / 1000);
  const meta = metaSummary(action.meta);
  const danger = action.type === 'danger';
  const strong = 'font-medium text-slate-900 dark:text-white';
  return (
    <AlertDialog
      title={`${action.buttonText}?`}
      confirmLabel={action.buttonText}
      pendingContent={
        <>
          <span aria-hidden="true" className="size-4 animate-spin rounded-full border-2 border-current border-t-transparent" />
          Sending…
        </>
      }
      tone={teammate?.blocks || refusal ? 'settled' : danger ? 'danger' : 'primary'}
      pending={pending}
      confirmDisabled={teammate?.blocks === true || refusal !== null}
      returnFocus={false}
      onConfirm={onConfirm}
      onCancel={onCancel}
      before={
        <>
          {/* Follows the live stream: a teammate's press shows here at once, and the confirm button stops. */}
          <p role="status" className={teammate ? 'rounded-lg bg-amber-50 px-3 py-2 text-sm font-medium text-amber-950 dark:bg-amber-950 dark:text-amber-100' : 'sr-only'}>
            {teammate ? `${teammate.text}${teammate.blocks ? ' Nothing will be sent.' : ''}` : ''}
          </p>
          <p role="alert" className={refusal ? 'rounded-lg bg-red-50 px-3 py-2 text-sm font-medium text-red-900 dark:bg-red-950 dark:text-red-100' : 'sr-only'}>
            {refusal ?? ''}
          </p>
        </>
      }
      after={
        <p aria-live="polite" className={pending ? 'text-sm text-slate-700 dark:text-slate-300' : 'sr-only'}>
          {pending ? `Waiting for the receiver, up to ${timeoutS} s…` : ''}
        </p>
      }
    >
      {action.confirmText && <p className="text-base font-medium text-slate-900 dark:text-white">{action.confirmText}</p>}
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
      {!refusal && <PressRequirements slug={slug} risk={action.risk} />}
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
    </AlertDialog>
  );
}

import { useEffect, useRef, useState } from 'react';
import type { ActionDto, EventDto } from '../../../contract/api.ts';
import { checkInput, notChosen } from '../../../contract/decisions.ts';
import { AlertDialog } from '../../components/AlertDialog.tsx';
import { personName } from '../decisions/words.ts';
import { ActionInputField } from './ActionInputField.tsx';
import { useWebhookTimeoutMs } from '../auth/api.ts';
import { formatRemaining } from './countdown.ts';
import { metaSummary } from './metaSummary.ts';
import { teammateNote } from './teammate.ts';
import { PressRequirements } from '../policy/PressRequirements.tsx';
import { t } from '../../i18n/i18n.ts';
import { rich } from '../../i18n/rich.tsx';

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
  /** The server refused the typed text (`input`), in a sentence: said beside the field. */
  inputError?: string | null;
  /** The typed text changed (an earlier refusal of it no longer applies). */
  onInputChange?: () => void;
  /** `input`: the text typed for an action with `input` (trimmed; null when none). */
  onConfirm: (input: string | null) => void;
  onCancel: () => void;
}

/**
 * The confirm step before any webhook or reply action: the sender's own sentence for it first
 * (confirmText), then what will be sent, about whom, to which host — or, for a reply (§11), that the
 * answer is recorded for the sender to read back — how long it stays valid, for danger actions that
 * it cannot be undone, and what the project's policy will require of the press (or that presses are
 * frozen). An action with `input` asks for its text here (focused first; the confirm button waits
 * while required text is missing). It follows what teammates do (the live stream) and stops its
 * confirm button when one of them did it, or answered the question otherwise; while the receiver
 * works it says how long that may take. The button that opened it takes the focus back (WebhookActionButton).
 */
export function ConfirmActionDialog({
  action,
  event,
  eventTitle,
  remainingMs,
  pending,
  slug,
  refusal = null,
  inputError = null,
  onInputChange,
  onConfirm,
  onCancel,
}: ConfirmActionDialogProps) {
  // Another reply of the question was chosen meanwhile: by whom, and which.
  const other = notChosen(event, action) && event.decision
    ? { by: personName(event.decision.by), buttonText: event.actions.find((a) => a.key === event.decision?.key)?.buttonText ?? event.decision.key }
    : null;
  // What a teammate did meanwhile (done, pressing now, answered), in words; `blocks`: nothing can be sent.
  const teammate = teammateNote(action, remainingMs, pending, other);
  const timeoutS = Math.round(useWebhookTimeoutMs() / 1000);
  const meta = metaSummary(action.meta);
  const danger = action.type === 'danger';
  const strong = 'font-medium text-slate-900 dark:text-white';
  const [text, setText] = useState('');
  const checked = checkInput(action.input, text);
  const field = useRef<HTMLTextAreaElement>(null);
  // The text is what this step asks for: the field takes the focus from Cancel (the dialog's own first stop),
  useEffect(() => {
    field.current?.focus();
  }, []);
  // and has it back when the server refused the text (it was disabled while the press was on its way).
  useEffect(() => {
    if (inputError) field.current?.focus();
  }, [inputError]);
  const blocked = teammate?.blocks === true || refusal !== null;
  const confirm = () => {
    if (checked.ok && !blocked && !pending) onConfirm(checked.input);
  };
  // What the event is, for the sentence that says what will happen: its title, and the user it is about.
  const about = {
    title: <span className={strong}>{eventTitle}</span>,
    ...(event.userId
      ? {
          user: (
            <span dir="ltr" className={`font-mono ${strong}`}>
              {event.userId}
            </span>
          ),
        }
      : {}),
  };
  return (
    <AlertDialog
      title={t('core.confirm.title', { button: action.buttonText })}
      confirmLabel={action.buttonText}
      pendingContent={
        <>
          <span aria-hidden="true" className="size-4 animate-spin rounded-full border-2 border-current border-t-transparent" />
          {action.reply ? t('core.outcome.recording') : t('core.sending')}
        </>
      }
      // Flat while it cannot be pressed (a teammate did it, presses are frozen, required text is missing).
      tone={blocked || !checked.ok ? 'settled' : danger ? 'danger' : 'primary'}
      pending={pending}
      confirmDisabled={blocked || !checked.ok}
      returnFocus={false}
      onConfirm={confirm}
      onCancel={onCancel}
      before={
        <>
          {/* Follows the live stream: a teammate's press shows here at once, and the confirm button stops. */}
          <p role="status" className={teammate ? 'rounded-lg bg-amber-50 px-3 py-2 text-sm font-medium text-amber-950 dark:bg-amber-950 dark:text-amber-100' : 'sr-only'}>
            {teammate ? (teammate.blocks ? t(action.reply ? 'core.teammate.blocksReply' : 'core.teammate.blocks', { note: teammate.text }) : teammate.text) : ''}
          </p>
          <p role="alert" className={refusal ? 'rounded-lg bg-red-50 px-3 py-2 text-sm font-medium text-red-900 dark:bg-red-950 dark:text-red-100' : 'sr-only'}>
            {refusal ?? ''}
          </p>
          {/* Not part of the dialog's description (read with it): a field of its own, named by its label. */}
          {action.input && (
            <ActionInputField
              ref={field}
              spec={action.input}
              value={text}
              error={inputError}
              disabled={pending || blocked}
              onChange={(value) => {
                setText(value);
                onInputChange?.();
              }}
              onSubmit={confirm}
            />
          )}
        </>
      }
      after={
        <p aria-live="polite" className={pending ? 'text-sm text-slate-700 dark:text-slate-300' : 'sr-only'}>
          {pending ? (action.reply ? t('core.confirm.recordingAnswer') : t('core.confirm.waiting', { seconds: timeoutS })) : ''}
        </p>
      }
    >
      {action.confirmText && <p className="text-base font-medium text-slate-900 dark:text-white">{action.confirmText}</p>}
      {action.reply ? (
        // A reply calls no URL: its answer is recorded, and the sender reads it back (§11).
        <p>
          {rich(event.userId ? 'core.confirm.replyUser' : 'core.confirm.reply', { button: <span className={strong}>{action.buttonText}</span>, ...about })}
        </p>
      ) : (
        <p>
          {rich(event.userId ? 'core.confirm.sendUser' : 'core.confirm.send', {
            ...about,
            host: (
              <span dir="ltr" className={`font-mono ${strong}`}>
                {new URL(action.url).host}
              </span>
            ),
          })}
        </p>
      )}
      {danger && <p className="font-medium text-red-800 dark:text-red-300">{t('core.confirm.undoable')}</p>}
      {!teammate?.blocks && <p>{remainingMs > 0 ? t('core.confirm.remaining', { time: formatRemaining(remainingMs) }) : t('core.action.expired')}</p>}
      {!refusal && <PressRequirements slug={slug} risk={action.risk} />}
      {meta.length > 0 && (
        <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 rounded-lg bg-slate-50 px-3 py-2 text-xs dark:bg-slate-800">
          {meta.map(([k, v]) => (
            <div key={k} className="contents">
              <dt className="text-slate-600 dark:text-slate-300">{k}</dt>
              <dd dir="ltr" className="min-w-0 break-all font-mono text-slate-900 dark:text-white">{v}</dd>
            </div>
          ))}
        </dl>
      )}
      {!action.reply && (
        <details className="text-xs">
          <summary className="min-h-11 cursor-pointer content-center">{t('core.confirm.fullUrl')}</summary>
          <p dir="ltr" className="break-all font-mono">{action.url}</p>
        </details>
      )}
    </AlertDialog>
  );
}

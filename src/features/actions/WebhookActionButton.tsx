import { Suspense, useEffect, useId, useRef, useState } from 'react';
import { lazyRetry } from '../../lib/lazy.ts';
import { LazyStepUpDialog } from '../policy/LazyStepUpDialog.tsx';
import type { ActionDto, EventDto } from '../../../contract/api.ts';
import { eventTitle } from '../feed/present.ts';
import { Button } from '../../components/ui.tsx';
import { offlineState } from '../../lib/offline.ts';
import { useStore } from '../../lib/store.ts';
import { ActionOutcome } from './ActionOutcome.tsx';
import { actionPhase, confirmBlocked, counting, pressable, pressErrorSentence, pressRefusal, refusalText, sentence } from './actionPhase.ts';
import { setSearchParams } from '../../lib/router.tsx';
import { useProjectRole } from '../projects/api.ts';
import { useTriggerAction } from './api.ts';
import { formatRemaining } from './countdown.ts';
import { useRemaining } from './useCountdown.ts';
import { useMayTriage, useTriage } from '../feed/triage/api.ts';
import { useQueryClient } from '@tanstack/react-query';
import { ApiFailure, fieldError } from '../../lib/api.ts';
import { notChosen } from '../../../contract/decisions.ts';
import { personName } from '../decisions/words.ts';
import { sentenceOf } from '../feed/triage/words.ts';
import { useProjectSlug } from '../projects/current.ts';
import { isStepUpRequired, policyKeys } from '../policy/api.ts';
import { RiskTag, RiskWords } from '../policy/RiskTag.tsx';
import { RequestControls, RequestStatus } from '../requests/RequestStatus.tsx';
import { t } from '../../i18n/i18n.ts';
import { messagePieces } from '../../lib/words.ts';

/** The confirm step loads with the first press (precached by the service worker, so offline too). */
const ConfirmActionDialog = lazyRetry(() => import('./ConfirmActionDialog.tsx').then((m) => ({ default: m.ConfirmActionDialog })));

/** The one dialog a press may show at a time: the confirm step, then (when the policy asks) "Confirm it's you". */
type PressDialog = 'confirm' | 'step-up' | null;

const isFrozen = (error: unknown) => error instanceof ApiFailure && error.code === 'frozen';

const ICON: Partial<Record<ReturnType<typeof actionPhase>, string>> = { done: '✓', failed: '↻', scheduled: '⏳', awaiting: '✋' };

/**
 * A webhook or reply action: a button named by its text (and, above low, its risk), its state beside
 * it (countdown, Running, Done by whom and when, Failed and why, Expired; for a reply, Answered by whom
 * and when, or `Not chosen` once another reply answered the event's question, §11), and a confirm step
 * before anything is sent or recorded (with a text field when the action asks for `input`). When the
 * project's policy asks the presser to confirm who they are, the confirm
 * step hands over to "Confirm it's you", and the press goes ahead once they have; a refusal because
 * presses are frozen is said in the confirm step. A button that can no longer do anything turns flat
 * and grey, still legible; the countdown stops with it.
 * `sharedCountdownId`: the event shows one countdown for all its actions; describe the button by it.
 */
export function WebhookActionButton({
  event,
  action,
  sharedCountdownId,
  openConfirm = false,
  inGrid = false,
  inRow = false,
}: {
  event: EventDto;
  action: ActionDto;
  sharedCountdownId?: string;
  /** Open the confirm step at once (a notification's button led here), if it can still run. */
  openConfirm?: boolean;
  /** In the action bar's two-column grid: the button and its state are its cells. */
  inGrid?: boolean;
  /** In a desk row (one line an event): the state beside the button is cut short; the pane has it whole. */
  inRow?: boolean;
}) {
  const remaining = useRemaining(action.expiresAt);
  const trigger = useTriggerAction(event.id, action.key);
  const qc = useQueryClient();
  const slug = useProjectSlug();
  const [dialog, setDialog] = useState<PressDialog>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const statusRef = useRef<HTMLSpanElement>(null);
  const statusId = useId();
  const { offline } = useStore(offlineState);
  const phase = actionPhase(action, remaining, offline, trigger.isPending, notChosen(event, action));
  const answeredBy = event.decision && event.decision.key === action.key ? personName(event.decision.by) : undefined;
  const refusal = pressRefusal(useProjectRole(), action);
  const canPress = pressable(phase) && refusal === null;
  // A resolved event's remaining actions stay pressable but quiet: it is dealt with already.
  const tone = !canPress ? 'settled' : event.state === 'resolved' ? 'quiet' : action.type === 'danger' ? 'danger' : action.type === 'important' ? 'primary' : 'neutral';
  // After one's own press worked, the next step is usually to say the event is dealt with: resolve it
  // (its thread's first event, for a later event of a thread: the one that carries the state).
  const resolve = useTriage(event.parentId ?? event.id);
  const mayResolve = useMayTriage();
  const [offerHandled, setOfferHandled] = useState(false);
  // Back to the button that opened it once the dialog is gone; if the press left it unpressable
  // (Done), to its status. Decided after the render that shows the new state, not before it.
  const refocus = useRef(false);
  const close = () => {
    refocus.current = true;
    setDialog(null);
  };
  useEffect(() => {
    if (dialog !== null || !refocus.current) return;
    refocus.current = false;
    (canPress ? buttonRef.current : statusRef.current)?.focus();
  }, [dialog, canPress]);
  const open = () => {
    // A refusal from an earlier press is not this one's.
    trigger.reset();
    setDialog('confirm');
  };
  // What was typed in the confirm step: sent again with the press after "Confirm it's you".
  const typed = useRef<string | null>(null);
  // `again`: the press after "Confirm it's you" (once; a second refusal is said beside the button).
  const press = (again = false) =>
    trigger.mutate(typed.current, {
      onSuccess: (result) => {
        setOfferHandled('attempt' in result && result.attempt.outcome === 'succeeded');
        close();
      },
      onError: (error) => {
        if (isStepUpRequired(error) && !again) setDialog('step-up');
        // The server refused the typed text: said beside the field, which stays to be corrected.
        else if (fieldError(error, 'input') !== null && !again) return;
        else if (isFrozen(error)) {
          // Said in the confirm step (which stays, its button off); the feed's banner follows.
          void qc.invalidateQueries({ queryKey: policyKeys.of(slug) });
          if (again) close();
        } else close();
      },
    });
  const proven = () => {
    close();
    press(true);
  };
  // From a notification: the dialog opens once, if the action can still run; otherwise the page says why.
  const [blocked, setBlocked] = useState<string | null>(null);
  const asked = useRef(false);
  const role = useProjectRole();
  useEffect(() => {
    if (!openConfirm || asked.current || role === undefined) return;
    asked.current = true;
    setSearchParams({ confirm: null });
    const why = confirmBlocked(action.buttonText, phase, refusal, action.reply);
    if (why) setBlocked(why);
    else setDialog('confirm');
  }, [openConfirm, role, phase, refusal, action.buttonText, action.reply]);
  const icon = ICON[phase];
  // The server's refusal of the typed text (`input is required: Why?`), for the confirm step's field.
  const inputRefusal = fieldError(trigger.error, 'input');
  // What needs saying now (a refusal, a failure, the next step): never cut short.
  const notices = (
    <>
      {blocked && (
        <span role="alert" className="text-xs font-medium text-slate-800 dark:text-slate-100">
          {blocked}
        </span>
      )}
      {offerHandled && event.state !== 'resolved' && !resolve.isSuccess && mayResolve && !action.resolves && (
        <Button onClick={() => resolve.mutate({ kind: 'resolve' })} disabled={resolve.isPending}>
          {t('core.action.resolve')}
        </Button>
      )}
      {resolve.error && (
        <span role="alert" className="text-xs text-red-800 dark:text-red-300">
          {sentenceOf(resolve.error.message)}
        </span>
      )}
      {trigger.error && dialog === null && (
        <span role="alert" className="text-xs text-red-800 dark:text-red-300">
          {pressErrorSentence(trigger.error, action)}
        </span>
      )}
    </>
  );

  return (
    <div className={inGrid ? 'contents' : inRow ? 'flex min-w-0 flex-wrap items-center gap-x-2 gap-y-1' : 'flex flex-wrap items-center gap-x-3 gap-y-1'}>
      <Button
        ref={buttonRef}
        tone={tone}
        disabled={!canPress}
        aria-describedby={sharedCountdownId && counting(phase) ? `${statusId} ${sharedCountdownId}` : statusId}
        onClick={open}
      >
        {phase === 'running' && <span aria-hidden="true" className="size-4 animate-spin rounded-full border-2 border-current border-t-transparent" />}
        {icon && <span aria-hidden="true">{icon}</span>}
        {action.buttonText}
        <RiskTag risk={action.risk} />
      </Button>
      <span
        id={statusId}
        ref={statusRef}
        tabIndex={-1}
        className={inRow ? 'block max-w-[8rem] truncate text-xs text-slate-600 dark:text-slate-300' : 'flex min-w-0 flex-wrap items-center gap-x-2 text-xs text-slate-600 [overflow-wrap:anywhere] dark:text-slate-300'}
      >
        <RiskWords risk={action.risk} />
        {/* A row says one thing: the outcome once there is one, or the press that waits, else the time left. */}
        {counting(phase) && !sharedCountdownId && !(inRow && (action.lastAttempt || phase === 'scheduled' || phase === 'awaiting')) && (inRow ? (
          <span className="tabular-nums">
            <span aria-hidden="true">⏱ </span>
            {/* Only the time shows; the words around it are read out. */}
            {messagePieces('core.action.expiresIn', {}, ['time']).map((p) =>
              typeof p === 'string' ? (
                <span key={p} className="sr-only">
                  {p}
                </span>
              ) : (
                formatRemaining(remaining)
              ),
            )}
          </span>
        ) : (
          <span>{t('core.action.expiresIn', { time: formatRemaining(remaining) })}</span>
        ))}
        {phase !== 'running' && <RequestStatus action={action} brief={inRow || inGrid} row={inRow} />}
        {phase !== 'scheduled' && phase !== 'awaiting' && <ActionOutcome action={action} phase={phase} brief={inRow} answeredBy={answeredBy} />}
        {phase === 'offline' && <span>{t('core.action.offline')}</span>}
        {refusal && pressable(phase) && <span className="font-medium text-slate-700 dark:text-slate-200">{refusalText(refusal)}</span>}
        {!inRow && notices}
      </span>
      {inRow && notices}
      {/* Who asked and `Cancel send`: beside the words, or on a line of their own under the card's grid. */}
      {!inRow && (
        <div className={inGrid ? 'col-span-2 -mt-1 empty:hidden' : 'contents'}>
          <RequestControls event={event} action={action} mayPress={refusal === null} />
        </div>
      )}
      {dialog === 'confirm' && (
        <Suspense fallback={null}>
          <ConfirmActionDialog
            action={action}
            event={event}
            eventTitle={eventTitle(event)}
            remainingMs={remaining}
            pending={trigger.isPending}
            slug={slug}
            refusal={isFrozen(trigger.error) ? pressErrorSentence(trigger.error!, action) : null}
            inputError={inputRefusal === null ? null : sentence(inputRefusal)}
            onInputChange={() => {
              if (inputRefusal !== null) trigger.reset();
            }}
            onConfirm={(input) => {
              typed.current = input;
              press();
            }}
            onCancel={close}
          />
        </Suspense>
      )}
      {dialog === 'step-up' && (
        <Suspense fallback={null}>
          <LazyStepUpDialog slug={slug} buttonText={action.buttonText} risk={action.risk} onProven={proven} onCancel={close} />
        </Suspense>
      )}
    </div>
  );
}

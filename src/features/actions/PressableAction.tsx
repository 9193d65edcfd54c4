/**
 * A webhook or reply action once someone presses it (WebhookActionButton loads this with the first
 * press, precached by the service worker, so offline too): the confirm step before anything is sent
 * or recorded (with a text field when the action asks for `input`), the press itself, and what follows
 * it. When the project's policy asks the presser to confirm who they are, the confirm step hands over
 * to "Confirm it's you", and the press goes ahead once they have; a refusal because presses are frozen
 * is said in the confirm step. After one's own press worked, `Resolve` is offered.
 */
import { Suspense, useEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { lazyRetry } from '../../lib/lazy.ts';
import { LazyStepUpDialog } from '../policy/LazyStepUpDialog.tsx';
import type { ActionDto, EventDto } from '../../../contract/api.ts';
import { eventTitle } from '../feed/present.ts';
import { Button } from '../../components/ui.tsx';
import { confirmBlocked, pressable, pressErrorSentence } from './actionPhase.ts';
import { setSearchParams } from '../../lib/router.tsx';
import { useTriggerAction } from './api.ts';
import { useTriage } from '../feed/triage/api.ts';
import { useMayTriage } from '../feed/triage/may.ts';
import { ApiFailure, fieldError } from '../../lib/api.ts';
import { sentence } from '../../lib/words.ts';
import { useProjectSlug } from '../projects/current.ts';
import { isStepUpRequired, policyKeys } from '../policy/api.ts';
import { t } from '../../i18n/i18n.ts';
import { ActionButtonView, useActionButtonState } from './ActionButtonView.tsx';

/** The confirm step loads with the first press (precached by the service worker, so offline too). */
const ConfirmActionDialog = lazyRetry(() => import('./ConfirmActionDialog.tsx').then((m) => ({ default: m.ConfirmActionDialog })));

/** The one dialog a press may show at a time: the confirm step, then (when the policy asks) "Confirm it's you". */
type PressDialog = 'confirm' | 'step-up' | null;

const isFrozen = (error: unknown) => error instanceof ApiFailure && error.code === 'frozen';

export interface PressableActionProps {
  event: EventDto;
  action: ActionDto;
  sharedCountdownId?: string;
  /** Open the confirm step at once: the button was pressed (`pressed`), or a notification's button led here (`link`), if it can still run. */
  openWith: 'pressed' | 'link';
  inGrid: boolean;
  inRow: boolean;
}

export function PressableAction({ event, action, sharedCountdownId, openWith, inGrid, inRow }: PressableActionProps) {
  const trigger = useTriggerAction(event.id, action.key);
  const state = useActionButtonState(event, action, trigger.isPending);
  const { remaining, phase, role, refusal } = state;
  const qc = useQueryClient();
  const slug = useProjectSlug();
  const [dialog, setDialog] = useState<PressDialog>(openWith === 'pressed' ? 'confirm' : null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const statusRef = useRef<HTMLSpanElement>(null);
  const canPress = pressable(phase) && refusal === null;
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
  useEffect(() => {
    if (openWith !== 'link' || asked.current || role === undefined) return;
    asked.current = true;
    setSearchParams({ confirm: null });
    const why = confirmBlocked(action.buttonText, phase, refusal, action.reply);
    if (why) setBlocked(why);
    else setDialog('confirm');
  }, [openWith, role, phase, refusal, action.buttonText, action.reply]);
  // The server's refusal of the typed text (`input is required: Why?`), for the confirm step's field.
  const inputRefusal = fieldError(trigger.error, 'input');
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
          {sentence(resolve.error.message)}
        </span>
      )}
      {trigger.error && dialog === null && (
        <span role="alert" className="text-xs text-red-800 dark:text-red-300">
          {pressErrorSentence(trigger.error, action)}
        </span>
      )}
    </>
  );
  const dialogs =
    dialog === 'confirm' ? (
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
    ) : dialog === 'step-up' ? (
      <Suspense fallback={null}>
        <LazyStepUpDialog slug={slug} buttonText={action.buttonText} risk={action.risk} onProven={proven} onCancel={close} />
      </Suspense>
    ) : null;
  return (
    <ActionButtonView
      event={event}
      action={action}
      state={state}
      sharedCountdownId={sharedCountdownId}
      inGrid={inGrid}
      inRow={inRow}
      onPress={open}
      buttonRef={buttonRef}
      statusRef={statusRef}
      notices={notices}
      dialog={dialogs}
    />
  );
}

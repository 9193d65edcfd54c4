import { type ReactNode, type Ref, type RefObject, useId } from 'react';
import type { ActionDto, EventDto, ProjectRole } from '../../../contract/api.ts';
import { notChosen } from '../../../contract/decisions.ts';
import { Button, type Tone } from '../../components/ui.tsx';
import { personName } from '../decisions/words.ts';
import { RiskTag, RiskWords } from '../policy/RiskTag.tsx';
import { RequestControls, RequestStatus } from '../requests/LazyRequest.tsx';
import { t } from '../../i18n/i18n.ts';
import { offlineState } from '../../lib/offline.ts';
import { useStore } from '../../lib/store.ts';
import { useFocusOnMount } from '../../lib/useFocusOnMount.ts';
import { messagePieces } from '../../lib/words.ts';
import { useProjectRole } from '../projects/api.ts';
import { ActionOutcome } from './ActionOutcome.tsx';
import { type ActionPhase, actionPhase, counting, type PressRefusal, pressable, pressRefusal, refusalText } from './actionPhase.ts';
import { formatRemaining } from './countdown.ts';
import { useRemaining } from './useCountdown.ts';

const ICON: Partial<Record<ActionPhase, string>> = { done: '✓', failed: '↻', scheduled: '⏳', awaiting: '✋' };

/** What an action's button and words say now: its phase, the time left, who may press it. */
export interface ActionState {
  remaining: number;
  phase: ActionPhase;
  role: ProjectRole | undefined;
  refusal: PressRefusal | null;
  /** The words beside the button, which describe it. */
  statusId: string;
}

/** The action's state for its button (`pending`: this person's press is on its way). */
export function useActionButtonState(event: EventDto, action: ActionDto, pending: boolean): ActionState {
  const remaining = useRemaining(action.expiresAt);
  const { offline } = useStore(offlineState);
  const role = useProjectRole();
  const statusId = useId();
  const phase = actionPhase(action, remaining, offline, pending, notChosen(event, action));
  return { remaining, phase, role, refusal: pressRefusal(role, action), statusId };
}

/** The button's colour: a resolved event's remaining actions stay pressable but quiet (it is dealt with already). */
function buttonTone(event: EventDto, action: ActionDto, canPress: boolean): Tone {
  if (!canPress) return 'settled';
  if (event.state === 'resolved') return 'quiet';
  return action.type === 'danger' ? 'danger' : action.type === 'important' ? 'primary' : 'neutral';
}

export interface ActionButtonViewProps {
  event: EventDto;
  action: ActionDto;
  state: ActionState;
  sharedCountdownId?: string;
  inGrid: boolean;
  inRow: boolean;
  onPress: () => void;
  buttonRef?: RefObject<HTMLButtonElement | null>;
  /** Take focus when drawn: the button that was pressed was replaced by this one while the press loads. */
  focusOnMount?: boolean;
  statusRef?: Ref<HTMLSpanElement>;
  /** What needs saying now (a refusal, a failure, the next step): never cut short. */
  notices?: ReactNode;
  /** The confirm step or "Confirm it's you", when open. */
  dialog?: ReactNode;
}

/**
 * What a webhook or reply action shows: its button (named by its text and, above low, its risk) and its
 * state beside it — countdown, Running, Done by whom and when, Failed and why, Expired, a press that
 * waits — drawn the same before the first press (WebhookActionButton) and once the press code is in
 * (PressableAction).
 */
export function ActionButtonView({
  event,
  action,
  state: { phase, remaining, refusal, statusId },
  sharedCountdownId,
  inGrid,
  inRow,
  onPress,
  buttonRef,
  statusRef,
  notices,
  dialog,
  focusOnMount = false,
}: ActionButtonViewProps) {
  const button = useFocusOnMount(buttonRef, focusOnMount);
  const canPress = pressable(phase) && refusal === null;
  // A reply that answered the event's question: who chose it.
  const answeredBy = event.decision && event.decision.key === action.key ? personName(event.decision.by) : undefined;
  const icon = ICON[phase];
  return (
    <div className={inGrid ? 'contents' : inRow ? 'flex min-w-0 flex-wrap items-center gap-x-2 gap-y-1' : 'flex flex-wrap items-center gap-x-3 gap-y-1'}>
      <Button
        ref={button}
        tone={buttonTone(event, action, canPress)}
        disabled={!canPress}
        aria-describedby={sharedCountdownId && counting(phase) ? `${statusId} ${sharedCountdownId}` : statusId}
        onClick={onPress}
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
      {dialog}
    </div>
  );
}

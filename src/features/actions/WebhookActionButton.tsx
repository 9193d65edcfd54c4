import { Suspense, useState } from 'react';
import type { ActionDto, EventDto } from '../../../contract/api.ts';
import { lazyRetry } from '../../lib/lazy.ts';
import { ActionButtonView, useActionButtonState } from './ActionButtonView.tsx';

/** The press itself — confirm step, request, what follows — loads with the first press (precached, so offline too). */
const PressableAction = lazyRetry(() => import('./PressableAction.tsx').then((m) => ({ default: m.PressableAction })));

/**
 * A webhook or reply action: a button named by its text (and, above low, its risk), its state beside
 * it (countdown, Running, Done by whom and when, Failed and why, Expired; for a reply, Answered by whom
 * and when, or `Not chosen` once another reply answered the event's question, §11), and a confirm step
 * before anything is sent or recorded (PressableAction). A button that can no longer do anything turns
 * flat and grey, still legible; the countdown stops with it. The feed draws many of these and most are
 * never pressed: until one is, it is only its look.
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
  const [pressed, setPressed] = useState(false);
  const state = useActionButtonState(event, action, false);
  const view = (focusOnMount: boolean) => (
    <ActionButtonView
      focusOnMount={focusOnMount}
      event={event}
      action={action}
      state={state}
      sharedCountdownId={sharedCountdownId}
      inGrid={inGrid}
      inRow={inRow}
      onPress={() => setPressed(true)}
    />
  );
  if (!pressed && !openConfirm) return view(false);
  return (
    // While the press loads, the same button (a new element: it takes the focus the pressed one had).
    <Suspense fallback={view(pressed && !openConfirm)}>
      <PressableAction event={event} action={action} sharedCountdownId={sharedCountdownId} openWith={openConfirm ? 'link' : 'pressed'} inGrid={inGrid} inRow={inRow} />
    </Suspense>
  );
}

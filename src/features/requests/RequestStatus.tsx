/**
 * A press that waits, beside its action's button: `Sending in <n> s` with `Cancel send` (anyone who may
 * press it), or `Waiting for approval` with how many more are needed (the event's page asks the
 * approvers, ./ApprovalPanel.tsx); and, once it ended unsent, how (cancelled, denied, expired).
 * `brief` (a desk row): the words only, the buttons are on the event's page.
 */
import type { ActionDto, EventDto } from '../../../contract/api.ts';
import { Button } from '../../components/ui.tsx';
import { useRemaining } from '../actions/useCountdown.ts';
import { useDecision } from './api.ts';
import { endedRecently, endedWords, sendingIn, stillNeeded, waitingWords } from './words.ts';
import { pressErrorSentence } from '../actions/actionPhase.ts';

/** Cancels the press that waits (its delay, or for approval), and says why not when the server refuses. */
function CancelWaiting({ event, action, label }: { event: EventDto; action: ActionDto; label: string }) {
  const cancel = useDecision(event.id, action.key, action.request!.id);
  return (
    <>
      <Button tone="dangerQuiet" className="min-h-11 px-3" disabled={cancel.isPending} onClick={() => cancel.mutate({ kind: 'cancel' })}>
        {label}
      </Button>
      {cancel.error && (
        <span role="alert" className="text-red-800 dark:text-red-300">
          {pressErrorSentence(cancel.error, action)}
        </span>
      )}
    </>
  );
}

function Scheduled({ event, action, runsAt, mayPress, brief }: { event: EventDto; action: ActionDto; runsAt: string; mayPress: boolean; brief: boolean }) {
  const left = useRemaining(runsAt);
  return (
    <>
      <span className="font-medium tabular-nums text-amber-900 dark:text-amber-200">
        <span aria-hidden="true">⏳ </span>
        {sendingIn(left)}
      </span>
      {mayPress && !brief && left > 0 && <CancelWaiting event={event} action={action} label="Cancel send" />}
    </>
  );
}

function Awaiting({ event, action, mayPress, brief }: { event: EventDto; action: ActionDto; mayPress: boolean; brief: boolean }) {
  const request = action.request!;
  return (
    <>
      <span className="font-medium text-amber-900 dark:text-amber-200">
        <span aria-hidden="true">✋ </span>
        {brief ? (
          <>
            Waiting for approval<span className="sr-only"> · {stillNeeded(request)} more needed</span>
          </>
        ) : (
          waitingWords(request)
        )}
      </span>
      {!brief && <span>asked by {request.requestedBy.email}</span>}
      {mayPress && !brief && <CancelWaiting event={event} action={action} label="Cancel request" />}
    </>
  );
}

export function RequestStatus({ event, action, mayPress, brief = false }: { event: EventDto; action: ActionDto; mayPress: boolean; brief?: boolean }) {
  const request = action.request;
  if (!request) return null;
  if (request.status === 'scheduled' && request.runsAt) return <Scheduled event={event} action={action} runsAt={request.runsAt} mayPress={mayPress} brief={brief} />;
  if (request.status === 'awaiting_approval') return <Awaiting event={event} action={action} mayPress={mayPress} brief={brief} />;
  const ended = endedRecently(action) ? endedWords(request) : null;
  if (!ended) return null;
  return <span className={brief ? 'sr-only' : 'font-medium text-slate-700 dark:text-slate-200'}>{ended}</span>;
}

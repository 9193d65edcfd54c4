/**
 * A press that waits, beside its action's button: `Sending in <n> s`, or `Waiting for approval` with
 * how many more are needed (the event's page asks the approvers, ./ApprovalPanel.tsx); once it ended
 * unsent, how (cancelled, denied, expired). `RequestControls` adds `Cancel send` (or `Cancel request`)
 * for anyone who may press the action, with who asked: beside the words, or on a line of their own
 * where the words sit in a narrow column (the card's grid). A desk row shows the words only.
 */
import type { ActionDto, EventDto } from '../../../contract/api.ts';
import { Button } from '../../components/ui.tsx';
import { pressErrorSentence } from '../actions/actionPhase.ts';
import { useRemaining } from '../actions/useCountdown.ts';
import { useDecision } from './api.ts';
import { endedRecently, endedWords, moreNeeded, sendingIn, waitingWords } from './words.ts';
import { t } from '../../i18n/i18n.ts';

const WAITING = 'font-medium text-amber-900 dark:text-amber-200';

function SendingIn({ runsAt }: { runsAt: string }) {
  const left = useRemaining(runsAt);
  return (
    <span className={`${WAITING} tabular-nums`}>
      <span aria-hidden="true">⏳ </span>
      {sendingIn(left)}
    </span>
  );
}

/**
 * The press's state in words; `brief`: the short form (the rest is read out, not shown); `row`: a desk
 * row, where how an ended one ended is read out only (the row keeps one line).
 */
export function RequestStatus({ action, brief = false, row = false }: { action: ActionDto; brief?: boolean; row?: boolean }) {
  const request = action.request;
  if (!request) return null;
  if (request.status === 'scheduled' && request.runsAt) return <SendingIn runsAt={request.runsAt} />;
  if (request.status === 'awaiting_approval') {
    return (
      <span className={WAITING}>
        <span aria-hidden="true">✋ </span>
        {brief ? (
          <>
            {t('core.request.waiting')}
            <span className="sr-only"> · {moreNeeded(request)}</span>
          </>
        ) : (
          waitingWords(request)
        )}
      </span>
    );
  }
  const ended = endedRecently(action) ? endedWords(request) : null;
  if (!ended) return null;
  return <span className={row ? 'sr-only' : 'font-medium text-slate-700 dark:text-slate-200'}>{ended}</span>;
}

/** Who asked, and the button that cancels the press while it waits (for those who may press it); the server's refusal in words. */
export function RequestControls({ event, action, mayPress }: { event: EventDto; action: ActionDto; mayPress: boolean }) {
  const request = action.request;
  const waiting = request?.status === 'scheduled' || request?.status === 'awaiting_approval';
  const cancel = useDecision(event.id, action.key, request?.id ?? '');
  if (!request || (!waiting && !cancel.error)) return null;
  return (
    <span className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-slate-600 dark:text-slate-300">
      {waiting && <span>{t('core.request.askedBy', { who: request.requestedBy.email })}</span>}
      {waiting && mayPress && (
        <Button tone="dangerQuiet" className="min-h-11 whitespace-nowrap px-3" disabled={cancel.isPending} onClick={() => cancel.mutate({ kind: 'cancel' })}>
          {request.status === 'scheduled' ? t('core.request.cancelSend') : t('core.request.cancelRequest')}
        </Button>
      )}
      {cancel.error && (
        <span role="alert" className="text-red-800 dark:text-red-300">
          {pressErrorSentence(cancel.error, action)}
        </span>
      )}
    </span>
  );
}

import { useId, useState } from 'react';
import type { ActionDto, EventDto } from '../../../contract/api.ts';
import { Button } from '../../app/ui.tsx';
import { offlineState } from '../../lib/offline.ts';
import { useStore } from '../../lib/store.ts';
import { eventTitle } from '../../../contract/present.ts';
import { ActionOutcome } from './ActionOutcome.tsx';
import { useTriggerAction } from './api.ts';
import { ConfirmActionDialog } from './ConfirmActionDialog.tsx';
import { formatRemaining } from './countdown.ts';
import { useRemaining } from './useCountdown.ts';

/**
 * A webhook action: a button named by its text, its remaining time beside it (by the server's
 * clock), a confirm step before anything is sent, and the outcome as text.
 */
export function WebhookActionButton({ event, action }: { event: EventDto; action: ActionDto }) {
  const remaining = useRemaining(action.expiresAt);
  const expired = remaining <= 0;
  const trigger = useTriggerAction(event.id, action.key);
  const [confirming, setConfirming] = useState(false);
  const statusId = useId();

  const { offline } = useStore(offlineState);
  const done = action.state === 'succeeded' && !action.repeat;
  const running = action.state === 'running' || trigger.isPending;
  const disabled = expired || done || running || offline;
  const tone = action.type === 'danger' ? 'danger' : action.type === 'important' ? 'primary' : 'neutral';
  const confirm = () =>
    trigger.mutate(undefined, {
      onSettled: () => setConfirming(false),
    });

  return (
    <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
      <Button tone={tone} disabled={disabled} aria-describedby={statusId} onClick={() => setConfirming(true)} className={disabled ? 'opacity-60' : ''}>
        {action.buttonText}
      </Button>
      <span id={statusId} className="flex flex-wrap items-center gap-x-2 text-xs text-slate-500 dark:text-slate-400">
        {expired ? <span className="font-medium">Expired</span> : <span>expires in {formatRemaining(remaining)}</span>}
        <ActionOutcome action={action} canRetry={!expired} />
        {offline && !expired && <span>Unavailable offline: actions need the server</span>}
        {trigger.error && (
          <span role="alert" className="text-red-700 dark:text-red-400">
            {trigger.error.message}
          </span>
        )}
      </span>
      {confirming && (
        <ConfirmActionDialog
          action={action}
          eventTitle={eventTitle(event)}
          pending={trigger.isPending}
          onConfirm={confirm}
          onCancel={() => setConfirming(false)}
        />
      )}
    </div>
  );
}

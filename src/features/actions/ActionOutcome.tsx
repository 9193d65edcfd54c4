import type { ActionDto } from '../../../contract/api.ts';
import { relativeTime } from '../../lib/time.ts';
import { useNow } from '../../lib/useNow.ts';
import type { ActionPhase } from './actionPhase.ts';

/** Human words for the reasons the server records. */
export function describeReason(reason: string | null): string {
  if (!reason) return 'unknown error';
  const http = /^http_(\d{3})$/.exec(reason);
  if (http) return `the receiver answered HTTP ${http[1]}`;
  const words: Record<string, string> = {
    timeout: 'the receiver did not answer in time',
    connection_refused: 'the receiver refused the connection',
    connection_reset: 'the connection was reset',
    dns: 'the receiver’s host name could not be found',
    blocked_by_policy: 'the address is not allowed (private network)',
    tls: 'the receiver’s TLS certificate was not accepted',
    interrupted: 'the server restarted while it ran',
  };
  return words[reason] ?? reason.replace(/_/g, ' ');
}

/**
 * What happened to the action, as text beside its button: Done, Failed (and why), Expired, Running.
 * `brief` (a desk row): the word shows, the rest (who, when, why) is read out but not shown.
 */
export function ActionOutcome({ action, phase, brief = false }: { action: ActionDto; phase: ActionPhase; brief?: boolean }) {
  const rest = brief ? 'sr-only' : 'font-normal';
  const now = useNow();
  const last = action.lastAttempt;
  const when = last ? relativeTime(Date.parse(last.finishedAt ?? last.startedAt), now) : '';
  if (phase === 'running') {
    return (
      <span className="font-medium text-slate-700 dark:text-slate-200">
        Running…<span className={rest}> waiting for the receiver</span>
      </span>
    );
  }
  if (last?.outcome === 'succeeded') {
    return (
      // In a row the button's own ✓ says it: the words are read out, not shown (the row keeps one line).
      <span className={brief ? 'sr-only' : 'font-medium text-emerald-800 dark:text-emerald-300'}>
        <span aria-hidden="true">✓ </span>Done{' '}
        <span className={`${rest} text-slate-600 dark:text-slate-300`}>
          · by {last.pressedBy} · {when}
        </span>
      </span>
    );
  }
  if (phase === 'expired') return <span className="font-medium text-slate-700 dark:text-slate-200">Expired</span>;
  if (last?.outcome === 'failed') {
    return (
      <span className="font-medium text-red-800 dark:text-red-300">
        Failed{' '}
        <span className={rest}>
          · {describeReason(last.reason)} · {when}
          {phase === 'failed' ? ' · press it again to retry' : ''}
        </span>
      </span>
    );
  }
  return null;
}

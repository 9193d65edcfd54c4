import type { ActionDto } from '../../../contract/api.ts';
import { relativeTime } from '../../lib/time.ts';
import { useNow } from '../../lib/useNow.ts';

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

/** The outcome of the last press, as text beside the button. */
export function ActionOutcome({ action, canRetry }: { action: ActionDto; canRetry: boolean }) {
  const now = useNow();
  const last = action.lastAttempt;
  if (action.state === 'running') {
    return <span className="text-slate-600 dark:text-slate-300">Running…</span>;
  }
  if (!last || last.outcome === null) return null;
  const when = relativeTime(Date.parse(last.finishedAt ?? last.startedAt), now);
  if (last.outcome === 'succeeded') {
    return (
      <span className="font-medium text-emerald-700 dark:text-emerald-400">
        Done <span className="font-normal text-slate-500 dark:text-slate-400">· {when} by {last.pressedBy}</span>
      </span>
    );
  }
  return (
    <span className="font-medium text-red-700 dark:text-red-400">
      Failed <span className="font-normal">· {describeReason(last.reason)}{canRetry ? ' · you can press it again' : ''}</span>
    </span>
  );
}

/** Human words for the reasons the server records: a failed press, a failed POST of a decision (pure). */
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
    // A reply pressed at the same moment as another (§11): the other was recorded first.
    decided: 'another answer was chosen first',
  };
  return words[reason] ?? reason.replace(/_/g, ' ');
}

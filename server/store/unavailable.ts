/**
 * Whether an error means "the database cannot be reached right now" (it restarts, fails over, is
 * down, or a connection to it was cut) rather than a bug or bad input. Such a request gets 503
 * `store_unavailable` with Retry-After, so clients, SDK retries and proxies can tell an outage from a
 * fault; a press whose outcome could not be recorded keeps retrying it.
 */

/** PostgreSQL SQLSTATEs of a lost or refused connection: class 08, admin/crash shutdown, cannot connect now, too many connections. */
const PG_CODES = new Set(['57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08004', '08006', '08007', '08P01']);
/** Node's socket errors when the server is not there or the connection broke. */
const NET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND']);
/** What node-postgres says, without a code, when a connection ends or the pool cannot hand one out in time. */
const PG_MESSAGES = [
  'Connection terminated',
  'connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
  'Cannot use a pool after calling end on the pool',
  'terminating connection',
];

export function isStoreUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (PG_CODES.has(code) || NET_CODES.has(code))) return true;
  if (PG_MESSAGES.some((m) => err.message.includes(m))) return true;
  // An AggregateError (several addresses refused) or a wrapped cause.
  const nested = [(err as { cause?: unknown }).cause, ...((err as { errors?: unknown[] }).errors ?? [])];
  return nested.some((e) => e !== undefined && e !== err && isStoreUnavailable(e));
}

/** How long a client should wait before trying again while the database is away (seconds). */
export const STORE_RETRY_AFTER_S = 5;

/**
 * Runs `fn` until it succeeds, for as long as the database is unreachable: `firstMs` between the
 * first tries, doubling, at most `maxMs`; `onRetry` hears of each wait. Any other error ends it.
 */
export async function retryWhileUnavailable<T>(
  fn: () => Promise<T>,
  { firstMs, maxMs, onRetry }: { firstMs: number; maxMs: number; onRetry: (err: Error, attempt: number, delayMs: number) => void },
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isStoreUnavailable(err)) throw err;
      const delayMs = Math.min(maxMs, firstMs * 2 ** Math.min(attempt - 1, 10));
      onRetry(err as Error, attempt, delayMs);
      await new Promise((r) => setTimeout(r, delayMs));
    }
  }
}

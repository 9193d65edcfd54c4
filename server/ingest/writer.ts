/**
 * Group commit for ingest: events that arrive while the previous batch commits are written together
 * in one transaction, and each request is answered 201 only after that transaction has committed.
 * A commit costs the same for one event or fifty, so under load this multiplies throughput while
 * keeping the promise that an acknowledged event is stored. One batch is in flight at a time: on
 * PostgreSQL, concurrent small transactions would each wait for the live-log lock and a flush
 * (`npm run bench -- scale`: 504 → 1,421 events/s on one instance when this was changed).
 */
import type { IngestAccepted } from '../../contract/api.ts';
import { changeState } from '../triage/stateChange.ts';
import type { NormalizedEvent } from '../../contract/ingest.ts';
import type { InsertedEvent } from '../store/eventRows.ts';
import type { AppStore as Store, StoreRepositories } from '../store/types.ts';

export interface IngestJob {
  event: NormalizedEvent;
  warnings: string[];
  apiKeyId: string;
  /** The key's project: the event is written there. */
  projectId: number;
  idempotencyKey: string | null;
  createdAt: number;
}

export interface IngestOutcome {
  answer: IngestAccepted;
  /** False when an Idempotency-Key retry got the first answer back. */
  created: boolean;
}

/** Who changes an event through ingest (`"state": "resolved"`, PagerDuty's acknowledge and resolve): the API key, by name. */
async function keyActor(tx: StoreRepositories, apiKeyId: string) {
  const name = (await tx.apiKeys.nameOf(apiKeyId))?.name ?? 'an API key';
  return { id: null, email: `API key “${name}”`, name: '' };
}

/** An API key acknowledges or resolves an event, as its sender said: on its timeline, audited, its push replaced. True when it changed. */
export async function changeByKey(
  tx: StoreRepositories,
  c: { apiKeyId: string; projectId: number; seq: number; event: { id: string; name: string | null; test: boolean }; change: 'ack' | 'resolve'; at: number; detail: Record<string, unknown> },
): Promise<boolean> {
  const by = await keyActor(tx, c.apiKeyId);
  const audited = { kind: c.change === 'ack' ? ('event.acknowledged' as const) : ('event.resolved' as const), detail: c.detail };
  const notice = c.change === 'ack' ? 'acknowledged' : 'handled';
  return changeState(tx, { seq: c.seq, event: c.event, projectId: c.projectId, change: c.change, by, actor: by, at: c.at, audit: audited, notice });
}

interface Pending {
  job: IngestJob;
  resolve: (outcome: IngestOutcome) => void;
  reject: (err: unknown) => void;
}

/** The most events one transaction takes (a batch request, ≤ 500, is never split); the rest wait for the next turn. */
const MAX_BATCH = 256;
/** How often a lone write with a dedupKey is tried (a race with another instance's insert of the same key). */
const DEDUP_ATTEMPTS = 3;

export function ingestWriter(store: Store) {
  /** Submissions waiting for the next transaction: a single event, or a batch request's events. */
  let queue: Pending[][] = [];
  let scheduled = false;
  let flushing = false;
  let pushPending = false;

  type Written = { outcome: IngestOutcome };

  /** What follows a stored event in its transaction: its push, its Idempotency-Key answer, the key's last use. */
  async function afterInsert(tx: StoreRepositories, job: IngestJob, inserted: InsertedEvent, marked: Set<string>): Promise<Written> {
    // Same transaction as the event: a crash after the commit cannot lose the notification.
    if (job.event.notify && !job.event.test) {
      await tx.push.enqueueEvent(inserted.seq, job.createdAt);
      pushPending = true;
    }
    return answered(tx, job, { id: inserted.live.event.id, createdAt: inserted.live.event.createdAt }, marked);
  }

  /** The answer to a written job, kept for its Idempotency-Key, with its key's last use (`marked`: once per key per batch is enough). */
  async function answered(tx: StoreRepositories, job: IngestJob, answer: IngestAccepted, marked: Set<string>): Promise<Written> {
    if (job.warnings.length > 0) answer.warnings = job.warnings;
    if (job.idempotencyKey !== null) await tx.idempotency.save(job.apiKeyId, job.idempotencyKey, answer, job.createdAt);
    if (!marked.has(job.apiKeyId)) {
      marked.add(job.apiKeyId);
      await tx.apiKeys.markUsed(job.apiKeyId, job.createdAt);
    }
    return { outcome: { answer, created: true } };
  }

  /** An Idempotency-Key retry gets the first answer; otherwise null (and the key is this transaction's). */
  async function replayed(tx: StoreRepositories, job: IngestJob): Promise<Written | null> {
    if (job.idempotencyKey === null) return null;
    const earlier = (await tx.idempotency.claim(job.apiKeyId, job.idempotencyKey, job.createdAt)) as IngestAccepted | null;
    return earlier ? { outcome: { answer: earlier, created: false } } : null;
  }

  /**
   * §12: an event with a dedupKey updates the unresolved one with that key in place (not pushed again);
   * with `"state": "resolved"` it also resolves it. Null: there is none (the event is inserted).
   */
  async function deduplicated(tx: StoreRepositories, job: IngestJob, marked: Set<string>): Promise<Written | null> {
    const hit = await tx.events.dedup(job);
    if (!hit) return null;
    if (job.event.state === 'resolved') await resolve(tx, job, hit.seq, hit.id);
    return answered(tx, job, { id: hit.id, createdAt: new Date(hit.createdAt).toISOString(), deduplicated: true }, marked);
  }

  /** Resolves an event as its sender said (`"state": "resolved"`). */
  async function resolve(tx: StoreRepositories, job: IngestJob, seq: number, eventId: string) {
    const event = { id: eventId, name: job.event.name, test: job.event.test };
    const change = { apiKeyId: job.apiKeyId, projectId: job.projectId, seq, event, change: 'resolve' as const, at: job.createdAt, detail: { dedupKey: job.event.dedupKey } };
    if (await changeByKey(tx, change)) pushPending = true;
  }

  /** One job on its own (a batch that failed is retried so, one job at a time). */
  async function write(tx: StoreRepositories, job: IngestJob, marked: Set<string>): Promise<Written> {
    const earlier = (await replayed(tx, job)) ?? (await deduplicated(tx, job, marked));
    if (earlier) return earlier;
    const inserted = await tx.events.insert(job);
    const written = await afterInsert(tx, job, inserted, marked);
    // Resolved on arrival (a "resolved" with no open event to resolve is kept, resolved).
    if (job.event.state === 'resolved') await resolve(tx, job, inserted.seq, inserted.live.event.id);
    return written;
  }

  /**
   * A batch in one transaction: the claims first, then every new event in one insertMany (a few
   * statements on PostgreSQL instead of several per event). A key used twice in one batch is written
   * job by job, so the second sees the first's answer.
   */
  async function writeBatch(tx: StoreRepositories, jobs: IngestJob[]): Promise<Written[]> {
    const marked = new Set<string>();
    const keys = jobs.flatMap((j) => (j.idempotencyKey === null ? [] : [`${j.apiKeyId}\n${j.idempotencyKey}`]));
    // Deduplication reads what the batch wrote before it: such a batch is written job by job.
    if (new Set(keys).size < keys.length || jobs.some((j) => j.event.dedupKey !== null)) {
      const out: Written[] = [];
      for (const job of jobs) out.push(await write(tx, job, marked));
      return out;
    }
    const out: (Written | null)[] = [];
    for (const job of jobs) out.push(await replayed(tx, job));
    const fresh = jobs.flatMap((job, i) => (out[i] === null ? [{ job, i }] : []));
    const inserted = await tx.events.insertMany(fresh.map(({ job }) => job));
    for (const [n, { job, i }] of fresh.entries()) out[i] = await afterInsert(tx, job, inserted[n]!, marked);
    return out as Written[];
  }

  async function flush(): Promise<void> {
    scheduled = false;
    flushing = true;
    try {
      await flushBatch();
    } finally {
      flushing = false;
      if (queue.length > 0) schedule();
    }
  }

  /**
   * One job in a transaction of its own. A job with a dedupKey may lose a race with another instance
   * inserting the same key (the unique index refuses the second insert once the first commits): it is
   * tried again, and then finds that event and updates it.
   */
  async function writeAlone(job: IngestJob): Promise<Written | { error: unknown }> {
    const attempts = job.event.dedupKey === null ? 1 : DEDUP_ATTEMPTS;
    let last: unknown;
    for (let attempt = 0; attempt < attempts; attempt++) {
      try {
        return await store.transaction((tx) => write(tx, job, new Set()));
      } catch (error) {
        last = error;
      }
    }
    return { error: last };
  }

  async function flushBatch(): Promise<void> {
    // Whole submissions only: a batch request is one commit, however long (≤ 500) it is.
    let taken = 0;
    let size = 0;
    while (taken < queue.length && (taken === 0 || size + queue[taken]!.length <= MAX_BATCH)) size += queue[taken++]!.length;
    const batch = queue.slice(0, taken).flat();
    queue = queue.slice(taken);

    let results: (Written | { error: unknown })[];
    try {
      results = await store.transaction((tx) => writeBatch(tx, batch.map((p) => p.job)));
    } catch {
      // The whole batch rolled back: write each on its own, so one failure cannot sink the others.
      results = [];
      for (const p of batch) results.push(await writeAlone(p.job));
    }
    batch.forEach((p, i) => {
      const result = results[i]!;
      if ('error' in result) {
        p.reject(result.error);
        return;
      }
      // Open apps hear of the events from the live log: the store announces the commit.
      p.resolve(result.outcome);
    });
    // Wakes the push worker now rather than at its next poll; it never blocks ingest. Set by a
    // rolled-back write too: a spurious wake-up costs the worker one empty look.
    if (pushPending) {
      pushPending = false;
      store.wakePush();
    }
  }

  /** One batch in flight at a time: what arrives meanwhile joins the next one (the commit is the cost). */
  function schedule(): void {
    if (scheduled || flushing) return;
    scheduled = true;
    setImmediate(() => void flush());
  }

  return {
    submit(job: IngestJob): Promise<IngestOutcome> {
      return new Promise((resolve, reject) => {
        queue.push([{ job, resolve, reject }]);
        schedule();
      });
    },
    /** A batch request's events, written in one transaction; each settles alone (one may fail, the rest stored). */
    submitMany(jobs: IngestJob[]): Promise<PromiseSettledResult<IngestOutcome>[]> {
      const group: Pending[] = [];
      const settled = jobs.map((job) => new Promise<IngestOutcome>((resolve, reject) => group.push({ job, resolve, reject })));
      queue.push(group);
      schedule();
      return Promise.allSettled(settled);
    },
  };
}

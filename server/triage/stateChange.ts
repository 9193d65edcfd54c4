/**
 * One change of an event's state (§12), wherever it comes from — a person's route, the old handled
 * mark, an API key's `"state": "resolved"`, an action sent with `resolves` — made the same way: the
 * guarded change, its timeline entry, its audit entry, the notice that replaces its push, its live
 * entry. In the caller's transaction.
 */
import type { AuditKind, EventDto } from '../../contract/api.ts';
import type { ActivityKind, StateChange } from '../../contract/triage.ts';
import { type Actor, audit } from '../audit/log.ts';
import type { StoreRepositories } from '../store/types.ts';

/** The timeline entry each change makes. */
const ENTRY: Record<StateChange, ActivityKind> = { ack: 'acknowledged', resolve: 'resolved', reopen: 'reopened' };

export interface StateChangeMade {
  seq: number;
  event: Pick<EventDto, 'id' | 'name' | 'test'>;
  projectId: number;
  change: StateChange;
  /** Who, on the timeline (id null: the server, or an API key). */
  by: { id: string | null; email: string; name: string };
  /** Who, in the audit log (a request's actor carries its address). */
  actor: Actor;
  at: number;
  audit: { kind: AuditKind; detail?: Record<string, unknown> };
  /** The notice that replaces the event's push on the devices that got it; null: none. */
  notice: string | null;
  /** False: the caller records a live entry for this event anyway. */
  live?: boolean;
}

/** Makes the change if the event's state allows it (else false, and nothing is written). */
export async function changeState(tx: StoreRepositories, c: StateChangeMade): Promise<boolean> {
  if (!(await tx.triage.change(c.seq, c.change, c.by.email, c.at))) return false;
  await tx.triage.record({ eventSeq: c.seq, kind: ENTRY[c.change], by: c.by, at: c.at });
  await audit(tx, c.projectId, c.actor, c.audit.kind, c.event.id, c.at, { eventName: c.event.name, ...c.audit.detail });
  if (c.notice !== null) await tx.push.enqueueNotice(c.seq, c.notice, c.at);
  if (c.live !== false) await tx.events.recordLive('update', c.seq, c.event.test, c.at);
  return true;
}

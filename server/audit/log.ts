/**
 * A project's audit log (CONTRACT §7): who changed what, and when. Every room that changes something
 * (accounts and keys, projects and members, the feed, presses, the CLI) appends here; the Activity
 * page reads it (./routes.ts).
 */
import type { AuditKind, Me } from '../../contract/api.ts';
import type { JsonValue } from '../../contract/ingest.ts';
import type { StoreRepositories } from '../store/types.ts';

/** Who made a change: a signed-in person with the address their request came from (null: the CLI). */
export type Actor = { id: Me['id'] | null; email: string; address?: string | null };

/** The server itself, for what it does on its own clock (a press request that nobody answered in time). */
export const SERVER_ACTOR: Actor = { id: null, email: 'switchboard' };

/** Appends one entry; call inside the transaction that made the change, so neither exists alone. */
export function audit(
  tx: Pick<StoreRepositories, 'audit'>,
  projectId: number,
  actor: Actor | null,
  kind: AuditKind,
  subject: string | null,
  at: number,
  detail?: JsonValue,
): Promise<void> {
  return tx.audit.append({ projectId, at, actorId: actor?.id ?? null, actorEmail: actor?.email ?? 'cli', kind, subject, detail, address: actor?.address ?? null });
}

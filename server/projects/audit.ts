/** Writing to a project's audit log (CONTRACT §7), and reading it in cursor pages. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AUDIT_KINDS, type AuditEntryDto, type AuditKind, type AuditPage, type Me } from '../../contract/api.ts';
import type { JsonValue } from '../../contract/ingest.ts';
import { ADMIN, projectOf } from '../http/access.ts';
import { badField } from '../http/errors.ts';
import { parseOr400 } from '../http/parse.ts';
import type { StoreRepositories } from '../store/appStore.ts';
import type { AuditRow } from '../store/records.ts';

/** Who made a change: a signed-in person with the address their request came from (null: the CLI). */
export type Actor = Pick<Me, 'id' | 'email'> & { address?: string | null };

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

function toDto(r: AuditRow): AuditEntryDto {
  return {
    id: Number(r.id),
    at: new Date(Number(r.at)).toISOString(),
    actor: { id: r.actor_id, email: r.actor_email },
    kind: r.kind,
    subject: r.subject,
    detail: r.detail === null ? null : (JSON.parse(r.detail) as JsonValue),
    address: r.address ?? null,
  };
}

export const auditQuery = z.object({
  cursor: z.string().regex(/^\d{1,15}$/, { error: 'is not a valid cursor' }).optional(),
  limit: z.coerce.number({ error: 'must be a number' }).int({ error: 'must be a whole number' }).min(1, { error: 'must be from 1 to 200' }).max(200, { error: 'must be from 1 to 200' }).default(50),
  person: z.string().max(100, { error: 'is not a person id' }).optional(),
  kind: z.enum(AUDIT_KINDS, { error: 'is not a kind of audit entry' }).optional(),
});

export async function auditRoutes(app: FastifyInstance, { store }: { store: StoreRepositories }) {
  app.get('/api/projects/:slug/audit', ADMIN, async (request): Promise<AuditPage> => {
    const q = parseOr400(auditQuery, request.query);
    if (q.cursor !== undefined && Number(q.cursor) <= 0) throw badField('cursor', 'is not a valid cursor');
    const rows = await store.audit.page({
      projectId: projectOf(request).id,
      before: q.cursor === undefined ? null : Number(q.cursor),
      limit: q.limit + 1,
      actorId: q.person ?? null,
      kind: q.kind ?? null,
    });
    const page = rows.slice(0, q.limit);
    return { entries: page.map(toDto), nextCursor: rows.length > q.limit ? String(page[page.length - 1]!.id) : null };
  });
}

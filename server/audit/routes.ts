/** Reading a project's audit log in cursor pages: the Activity page. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AUDIT_KINDS, type AuditEntryDto, type AuditKind, type AuditPage, PRESS_KINDS, PRESS_OUTCOMES } from '../../contract/api.ts';
import type { JsonValue } from '../../contract/ingest.ts';
import { doc, MEMBER, projectOf } from '../http/access.ts';
import { ApiError, badField } from '../http/errors.ts';
import { parseOr400 } from '../http/parse.ts';
import type { StoreRepositories } from '../store/types.ts';
import type { AuditRow } from '../store/records.ts';

/** A press's outcome as the Activity page shows it; null for other entries. */
function outcomeOf(r: AuditRow, detail: JsonValue): AuditEntryDto['outcome'] {
  if (r.kind === 'action.refused') {
    const why = (detail as { why?: unknown } | null)?.why;
    return { result: 'refused', reason: typeof why === 'string' ? why : null, status: null };
  }
  if (r.kind !== 'action.pressed' || !r.attempt_found) return null;
  return { result: r.attempt_outcome ?? 'running', reason: r.attempt_reason, status: r.attempt_status === null ? null : Number(r.attempt_status) };
}

function toDto(r: AuditRow): AuditEntryDto {
  const detail = r.detail === null ? null : (JSON.parse(r.detail) as JsonValue);
  return {
    id: Number(r.id),
    at: new Date(Number(r.at)).toISOString(),
    actor: { id: r.actor_id, email: r.actor_email },
    kind: r.kind,
    subject: r.subject,
    detail,
    address: r.address ?? null,
    outcome: outcomeOf(r, detail),
  };
}

export const auditQuery = z.object({
  cursor: z.string().regex(/^\d{1,15}$/, { error: 'is not a valid cursor' }).optional(),
  limit: z.coerce.number({ error: 'must be a number' }).int({ error: 'must be a whole number' }).min(1, { error: 'must be from 1 to 200' }).max(200, { error: 'must be from 1 to 200' }).default(50),
  person: z.string().max(100, { error: 'is not a person id' }).optional(),
  kind: z.enum(AUDIT_KINDS, { error: 'is not a kind of audit entry' }).optional(),
  outcome: z.enum(PRESS_OUTCOMES, { error: 'must be succeeded, failed or refused' }).optional(),
});

export async function auditRoutes(app: FastifyInstance, { store }: { store: StoreRepositories }) {
  // Members read the presses (did the refund work?); admins read everything.
  const activity = doc(MEMBER, { tag: 'Projects', summary: 'The project’s activity log, in cursor pages (members: presses only)', query: auditQuery });
  app.get('/api/projects/:slug/audit', activity, async (request): Promise<AuditPage> => {
    const q = parseOr400(auditQuery, request.query);
    if (q.cursor !== undefined && Number(q.cursor) <= 0) throw badField('cursor', 'is not a valid cursor');
    const project = projectOf(request);
    const admin = project.role === 'admin';
    const presses: readonly AuditKind[] = PRESS_KINDS;
    if (!admin && q.kind !== undefined && !presses.includes(q.kind)) {
      throw new ApiError(403, 'forbidden', `members see presses; the rest of the activity needs the admin role in this project (yours: ${project.role})`);
    }
    const rows = await store.audit.page({
      projectId: project.id,
      before: q.cursor === undefined ? null : Number(q.cursor),
      limit: q.limit + 1,
      actorId: q.person ?? null,
      kinds: q.kind !== undefined ? [q.kind] : admin ? null : presses,
      outcome: q.outcome ?? null,
    });
    const page = rows.slice(0, q.limit);
    return { entries: page.map(toDto), nextCursor: rows.length > q.limit ? String(page[page.length - 1]!.id) : null };
  });
}

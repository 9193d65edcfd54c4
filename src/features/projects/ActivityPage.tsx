/**
 * A project's audit trail for its admins: who did what (with a mark made from their account, which a
 * look-alike name or email cannot copy), when and from which address, filtered by person and kind.
 */
import { useMemo, useState } from 'react';
import { AUDIT_KINDS, type AuditEntryDto, type AuditKind } from '../../../contract/api.ts';
import { Alert, Button, Card } from '../../app/ui.tsx';
import { RelativeTime } from '../feed/RelativeTime.tsx';
import { useAudit, useCurrentProject, useMembers } from './api.ts';
import { useProjectSlug } from './current.ts';
import { PersonMark } from './PersonMark.tsx';

const KIND_LABEL: Record<AuditKind, string> = {
  'action.pressed': 'Pressed an action',
  'invite.created': 'Made an invite',
  'invite.used': 'Used an invite',
  'invite.revoked': 'Revoked an invite',
  'member.added': 'Joined',
  'member.removed': 'Removed a member',
  'member.role_changed': 'Changed a role',
  'member.password_reset': 'Made a password-reset link',
  'member.password_reset_used': 'Password reset link used',
  'key.created': 'Created an API key',
  'key.revoked': 'Revoked an API key',
  'secret.rotated': 'Rotated the webhook secret',
  'event.deleted': 'Deleted an event',
  'event.handled': 'Marked an event',
  'project.created': 'Created the project',
  'project.renamed': 'Renamed the project',
};

/** The entry's details in words: what was pressed, which role, what it was called before. */
function detailOf(e: AuditEntryDto): string {
  const d = (e.detail ?? {}) as Record<string, unknown>;
  switch (e.kind) {
    case 'action.pressed':
      return `“${String(d.buttonText ?? d.action)}” on ${d.eventName ? `“${String(d.eventName)}”` : 'an event'} (attempt ${String(d.attempt ?? 1)})`;
    case 'member.role_changed':
      return `${e.subject}: ${String(d.from)} → ${String(d.to)}`;
    case 'invite.created':
      return `for a ${e.subject}`;
    case 'event.handled':
      return `${d.eventName ? `“${String(d.eventName)}”` : 'an event'} ${d.handled ? 'handled' : 'not handled any more'}`;
    case 'project.renamed':
      return `from “${String(d.from)}” to “${e.subject}”`;
    default:
      return e.subject ?? '';
  }
}

export function ActivityPage() {
  const slug = useProjectSlug();
  const project = useCurrentProject();
  const admin = project?.role === 'admin';
  const [person, setPerson] = useState<string | null>(null);
  const [kind, setKind] = useState<AuditKind | null>(null);
  const members = useMembers(slug, admin);
  const audit = useAudit(slug, person, kind);
  const entries = useMemo(() => audit.data?.pages.flatMap((p) => p.entries) ?? [], [audit.data]);
  if (project && !admin) {
    return (
      <Card>
        <h1 className="text-lg font-semibold">Activity</h1>
        <p className="text-sm text-slate-700 dark:text-slate-300">Only admins of {project.name} see its activity.</p>
      </Card>
    );
  }
  const select = 'min-h-11 rounded-lg border border-slate-300 bg-white px-2 text-sm dark:border-slate-700 dark:bg-slate-900';
  return (
    <div className="flex flex-col gap-3">
      <h1 className="text-xl font-semibold">Activity{project ? ` in ${project.name}` : ''}</h1>
      <div className="flex flex-wrap gap-2">
        <select aria-label="Person" className={select} value={person ?? ''} onChange={(e) => setPerson(e.target.value || null)}>
          <option value="">Everyone</option>
          {(members.data ?? []).map((m) => (
            <option key={m.userId} value={m.userId}>
              {m.name || m.email}
            </option>
          ))}
        </select>
        <select aria-label="Kind" className={select} value={kind ?? ''} onChange={(e) => setKind((e.target.value || null) as AuditKind | null)}>
          <option value="">Everything</option>
          {AUDIT_KINDS.map((k) => (
            <option key={k} value={k}>
              {KIND_LABEL[k]}
            </option>
          ))}
        </select>
      </div>
      {audit.isError && <Alert>Could not load the activity: {audit.error.message}</Alert>}
      {audit.isPending ? (
        <p className="py-6 text-center text-sm text-slate-500" aria-live="polite">
          Loading activity…
        </p>
      ) : entries.length === 0 ? (
        <p className="py-6 text-center text-sm text-slate-600 dark:text-slate-400">Nothing recorded{person || kind ? ' for these filters' : ' yet'}.</p>
      ) : (
        <ol aria-label="Activity" className="flex flex-col divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900">
          {entries.map((e) => (
            <li key={e.id} className="flex flex-col gap-0.5 px-3 py-2 sm:flex-row sm:items-baseline sm:gap-3">
              <span className="text-sm font-medium">{KIND_LABEL[e.kind] ?? e.kind}</span>
              <span className="min-w-0 flex-1 truncate text-sm text-slate-700 dark:text-slate-300">{detailOf(e)}</span>
              <span className="flex min-w-0 flex-wrap items-center gap-x-1 text-xs text-slate-600 dark:text-slate-400">
                {e.actor.id === null ? (
                  <span title="The command line on the server">CLI</span>
                ) : (
                  <>
                    <PersonMark id={e.actor.id} />
                    <span className="min-w-0 truncate">{e.actor.email}</span>
                  </>
                )}
                <span aria-hidden="true">·</span>
                <RelativeTime iso={e.at} />
                {e.address && (
                  <>
                    <span aria-hidden="true">·</span>
                    <span className="break-all" title="The address the request came from">
                      from {e.address}
                    </span>
                  </>
                )}
              </span>
            </li>
          ))}
        </ol>
      )}
      {audit.hasNextPage && (
        <Button onClick={() => void audit.fetchNextPage()} disabled={audit.isFetchingNextPage} className="self-center">
          {audit.isFetchingNextPage ? 'Loading…' : 'Show older'}
        </Button>
      )}
    </div>
  );
}

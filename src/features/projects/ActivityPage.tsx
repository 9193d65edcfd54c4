/**
 * A project's activity: for its admins everything, for its members the presses. Who did what (with a
 * mark made from their account, which a look-alike name or email cannot copy), when, from which
 * address, and for a press how it ended (Succeeded, Failed and why, Refused) with a link to its event;
 * filtered by person, kind and outcome.
 */
import { useMemo, useState } from 'react';
import { AUDIT_KINDS, type AuditEntryDto, type AuditKind, PRESS_KINDS, PRESS_OUTCOMES, type PressOutcome } from '../../../contract/api.ts';
import { Alert, Button, Card } from '../../components/ui.tsx';
import { Link, useLocation } from '../../lib/router.tsx';
import { sentence } from '../actions/actionPhase.ts';
import { RelativeTime } from '../feed/RelativeTime.tsx';
import { useCurrentProject } from './api.ts';
import { useAudit, useMembers } from './manage.ts';
import { projectHref, useProjectSlug } from './current.ts';
import { PersonMark } from './PersonMark.tsx';
import { policyChangeInWords } from '../policy/words.ts';

const OUTCOME_LABEL: Record<PressOutcome, string> = { succeeded: 'Succeeded', failed: 'Failed', refused: 'Refused' };

/** A press's outcome, in a word (and the reason when it failed or was refused), coloured by what it means. */
function Outcome({ outcome }: { outcome: NonNullable<AuditEntryDto['outcome']> }) {
  const tone =
    outcome.result === 'succeeded'
      ? 'bg-emerald-50 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100'
      : outcome.result === 'running'
        ? 'bg-slate-100 text-slate-800 dark:bg-slate-800 dark:text-slate-100'
        : 'bg-red-50 text-red-900 dark:bg-red-950 dark:text-red-100';
  const word = outcome.result === 'running' ? 'Running' : OUTCOME_LABEL[outcome.result];
  const why = outcome.result === 'failed' ? (outcome.status !== null ? `HTTP ${outcome.status}` : outcome.reason) : outcome.result === 'refused' ? outcome.reason : null;
  return (
    <span className={`inline-flex shrink-0 items-center gap-1 rounded px-1.5 py-0.5 text-xs font-medium ${tone}`}>
      {word}
      {why ? <span className="font-normal">· {outcome.result === 'refused' ? sentence(why) : why}</span> : null}
    </span>
  );
}

const KIND_LABEL: Record<AuditKind, string> = {
  'action.pressed': 'Pressed an action',
  'action.refused': 'Press refused',
  'action.requested': 'Pressed (it waits)',
  'action.approved': 'Approved a press',
  'action.denied': 'Denied a press',
  'action.request_expired': 'Press request expired',
  'action.cancelled': 'Cancelled a press',
  'action.answered': 'Answered a question',
  'event.acknowledged': 'Acknowledged an event',
  'event.resolved': 'Resolved an event',
  'event.reopened': 'Reopened an event',
  'event.assigned': 'Assigned an event',
  'event.snoozed': 'Snoozed an event',
  'event.noted': 'Added a note',
  'event.escalated': 'Escalated an event nobody acknowledged',
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
  'integration.created': 'Added an integration',
  'integration.rotated': "Changed an integration's URL",
  'integration.deleted': 'Deleted an integration',
  'integration.secret_set': "Set an integration's signing secret",
  'secret.rotated': 'Rotated the webhook secret',
  'event.deleted': 'Deleted an event',
  'event.handled': 'Marked an event',
  'project.created': 'Created the project',
  'project.renamed': 'Renamed the project',
  'policy.changed': 'Changed the press policy',
  'auth.step_up': "Confirmed it's them",
  'passkey.added': 'Added a passkey',
  'passkey.removed': 'Removed a passkey',
};

/** The entry's details in words: what was pressed, which role, what it was called before. */
function detailOf(e: AuditEntryDto): string {
  const d = (e.detail ?? {}) as Record<string, unknown>;
  switch (e.kind) {
    case 'action.pressed':
      return `“${String(d.buttonText ?? d.action)}” on ${d.eventName ? `“${String(d.eventName)}”` : 'an event'} (attempt ${String(d.attempt ?? 1)})`;
    case 'action.requested': {
      const needed = Number(d.needed ?? 0);
      const delay = Number(d.delaySeconds ?? 0);
      const waits = needed > 0 ? `needs ${needed === 1 ? 'one approval' : `${needed} approvals`}${delay > 0 ? `, then ${delay} s` : ''}` : `sent after ${delay} s unless cancelled`;
      return `“${String(d.buttonText ?? d.action)}” on ${d.eventName ? `“${String(d.eventName)}”` : 'an event'} · ${waits}`;
    }
    case 'action.denied':
      return `“${String(d.buttonText ?? d.action)}” on ${d.eventName ? `“${String(d.eventName)}”` : 'an event'}${d.reason ? ` · “${String(d.reason)}”` : ''}`;
    case 'action.refused':
    case 'action.approved':
    case 'action.request_expired':
    case 'action.cancelled':
      return `“${String(d.buttonText ?? d.action)}” on ${d.eventName ? `“${String(d.eventName)}”` : 'an event'}`;
    case 'member.role_changed':
      return `${e.subject}: ${String(d.from)} → ${String(d.to)}`;
    case 'invite.created':
      return `for a ${e.subject}`;
    case 'event.handled':
      return `${d.eventName ? `“${String(d.eventName)}”` : 'an event'} ${d.handled ? 'handled' : 'not handled any more'}`;
    case 'project.renamed':
      return `from “${String(d.from)}” to “${e.subject}”`;
    case 'policy.changed':
      return policyChangeInWords(d.change) || (d.freeze === true ? 'presses frozen' : 'no change');
    case 'auth.step_up':
      return '';
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
  // `?outcome=failed`: Insights' "Failed" presses lead here.
  const { search } = useLocation();
  const [outcome, setOutcome] = useState<PressOutcome | null>(() => {
    const asked = search.get('outcome');
    return PRESS_OUTCOMES.find((o) => o === asked) ?? null;
  });
  const members = useMembers(slug, admin);
  const audit = useAudit(slug, person, kind, outcome);
  const entries = useMemo(() => audit.data?.pages.flatMap((p) => p.entries) ?? [], [audit.data]);
  if (project && project.role === 'viewer') {
    return (
      <Card>
        <h1 className="text-lg font-semibold">Activity</h1>
        <p className="text-sm text-slate-700 dark:text-slate-300">Members and admins of {project.name} see its activity.</p>
      </Card>
    );
  }
  const kinds: readonly AuditKind[] = admin ? AUDIT_KINDS : PRESS_KINDS;
  const select = 'min-h-11 rounded-lg border border-slate-300 bg-white px-2 text-sm dark:border-slate-700 dark:bg-slate-900';
  return (
    <div className="flex flex-col gap-3">
      <h1 className="text-xl font-semibold">
        {admin ? 'Activity' : 'Presses'}
        {project ? ` in ${project.name}` : ''}
      </h1>
      <div className="flex flex-wrap gap-2">
        {admin && (
          <select aria-label="Person" className={select} value={person ?? ''} onChange={(e) => setPerson(e.target.value || null)}>
            <option value="">Everyone</option>
            {(members.data ?? []).map((m) => (
              <option key={m.userId} value={m.userId}>
                {m.name || m.email}
              </option>
            ))}
          </select>
        )}
        <select aria-label="Kind" className={select} value={kind ?? ''} onChange={(e) => setKind((e.target.value || null) as AuditKind | null)}>
          <option value="">Everything</option>
          {kinds.map((k) => (
            <option key={k} value={k}>
              {KIND_LABEL[k]}
            </option>
          ))}
        </select>
        <select aria-label="Outcome" className={select} value={outcome ?? ''} onChange={(e) => setOutcome((e.target.value || null) as PressOutcome | null)}>
          <option value="">Any outcome</option>
          {PRESS_OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {OUTCOME_LABEL[o]}
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
        <p className="py-6 text-center text-sm text-slate-600 dark:text-slate-400">Nothing recorded{person || kind || outcome ? ' for these filters' : ' yet'}.</p>
      ) : (
        <ol aria-label="Activity" className="flex flex-col divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900">
          {entries.map((e) => (
            <li key={e.id} className="flex flex-col gap-0.5 px-3 py-2 sm:flex-row sm:flex-wrap sm:items-baseline sm:gap-x-3">
              <span className="shrink-0 text-sm font-medium">{KIND_LABEL[e.kind] ?? e.kind}</span>
              {e.outcome && <Outcome outcome={e.outcome} />}
              {PRESS_KINDS.some((k) => k === e.kind) && e.subject ? (
                <Link href={projectHref(slug, `/events/${encodeURIComponent(e.subject)}`)} className="min-w-48 flex-1 truncate text-sm text-sky-800 underline dark:text-sky-300">
                  {detailOf(e)}
                </Link>
              ) : (
                <span className="min-w-48 flex-1 truncate text-sm text-slate-700 dark:text-slate-300">{detailOf(e)}</span>
              )}
              <span className="flex min-w-0 flex-wrap items-center gap-x-1 text-xs text-slate-600 sm:ml-auto dark:text-slate-400">
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

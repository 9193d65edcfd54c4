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
import { sentence } from '../../lib/words.ts';
import { RelativeTime } from '../feed/RelativeTime.tsx';
import { useCurrentProject } from './api.ts';
import { useAudit, useMembers } from './manage.ts';
import { projectHref, useProjectSlug } from './current.ts';
import { PersonMark } from './PersonMark.tsx';
import { policyChangeInWords } from '../policy/words.ts';
import { t } from '../../i18n/i18n.ts';
import { rich } from '../../i18n/rich.tsx';

const OUTCOME_LABEL: Record<PressOutcome, () => string> = {
  succeeded: () => t('pages.outcome.succeeded'),
  failed: () => t('pages.outcome.failed'),
  refused: () => t('pages.outcome.refused'),
};

/** A press's outcome, in a word (and the reason when it failed or was refused), coloured by what it means. */
function Outcome({ outcome }: { outcome: NonNullable<AuditEntryDto['outcome']> }) {
  const tone =
    outcome.result === 'succeeded'
      ? 'bg-emerald-50 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100'
      : outcome.result === 'running'
        ? 'bg-slate-100 text-slate-800 dark:bg-slate-800 dark:text-slate-100'
        : 'bg-red-50 text-red-900 dark:bg-red-950 dark:text-red-100';
  const word = outcome.result === 'running' ? t('pages.outcome.running') : OUTCOME_LABEL[outcome.result]();
  const why = outcome.result === 'failed' ? (outcome.status !== null ? `HTTP ${outcome.status}` : outcome.reason) : outcome.result === 'refused' ? outcome.reason : null;
  return (
    <span className={`inline-flex shrink-0 items-center gap-1 rounded px-1.5 py-0.5 text-xs font-medium ${tone}`}>
      {word}
      {why ? <span className="font-normal">· {outcome.result === 'refused' ? sentence(why) : why}</span> : null}
    </span>
  );
}

const KIND_LABEL: Record<AuditKind, () => string> = {
  'action.pressed': () => t('pages.activity.kind.action.pressed'),
  'action.refused': () => t('pages.activity.kind.action.refused'),
  'action.requested': () => t('pages.activity.kind.action.requested'),
  'action.approved': () => t('pages.activity.kind.action.approved'),
  'action.denied': () => t('pages.activity.kind.action.denied'),
  'action.request_expired': () => t('pages.activity.kind.action.request_expired'),
  'action.cancelled': () => t('pages.activity.kind.action.cancelled'),
  'action.answered': () => t('pages.activity.kind.action.answered'),
  'event.acknowledged': () => t('pages.activity.kind.event.acknowledged'),
  'event.resolved': () => t('pages.activity.kind.event.resolved'),
  'event.reopened': () => t('pages.activity.kind.event.reopened'),
  'event.assigned': () => t('pages.activity.kind.event.assigned'),
  'event.snoozed': () => t('pages.activity.kind.event.snoozed'),
  'event.noted': () => t('pages.activity.kind.event.noted'),
  'event.escalated': () => t('pages.activity.kind.event.escalated'),
  'invite.created': () => t('pages.activity.kind.invite.created'),
  'invite.used': () => t('pages.activity.kind.invite.used'),
  'invite.revoked': () => t('pages.activity.kind.invite.revoked'),
  'member.added': () => t('pages.activity.kind.member.added'),
  'member.removed': () => t('pages.activity.kind.member.removed'),
  'member.role_changed': () => t('pages.activity.kind.member.role_changed'),
  'member.password_reset': () => t('pages.activity.kind.member.password_reset'),
  'member.password_reset_used': () => t('pages.activity.kind.member.password_reset_used'),
  'key.created': () => t('pages.activity.kind.key.created'),
  'key.revoked': () => t('pages.activity.kind.key.revoked'),
  'integration.created': () => t('pages.activity.kind.integration.created'),
  'integration.rotated': () => t('pages.activity.kind.integration.rotated'),
  'integration.deleted': () => t('pages.activity.kind.integration.deleted'),
  'integration.secret_set': () => t('pages.activity.kind.integration.secret_set'),
  'secret.rotated': () => t('pages.activity.kind.secret.rotated'),
  'event.deleted': () => t('pages.activity.kind.event.deleted'),
  'event.handled': () => t('pages.activity.kind.event.handled'),
  'project.created': () => t('pages.activity.kind.project.created'),
  'project.renamed': () => t('pages.activity.kind.project.renamed'),
  'policy.changed': () => t('pages.activity.kind.policy.changed'),
  'auth.step_up': () => t('pages.activity.kind.auth.step_up'),
  'passkey.added': () => t('pages.activity.kind.passkey.added'),
  'passkey.removed': () => t('pages.activity.kind.passkey.removed'),
  'oidc.membership_added': () => t('pages.activity.kind.oidc.membership_added'),
  'oidc.membership_changed': () => t('pages.activity.kind.oidc.membership_changed'),
  'oidc.membership_removed': () => t('pages.activity.kind.oidc.membership_removed'),
};

/** The entry's details in words: what was pressed, which role, what it was called before. */
function detailOf(e: AuditEntryDto): string {
  const d = (e.detail ?? {}) as Record<string, unknown>;
  // What was pressed, on which event (`named`: whether the event has a name to quote).
  const press = { button: String(d.buttonText ?? d.action), named: d.eventName ? 'yes' : 'no', event: String(d.eventName ?? '') };
  switch (e.kind) {
    case 'action.pressed':
      return t('pages.activity.detail.pressed', { ...press, attempt: String(d.attempt ?? 1) });
    case 'action.requested': {
      const needed = Number(d.needed ?? 0);
      const delay = Number(d.delaySeconds ?? 0);
      const waits =
        needed > 0
          ? t(delay > 0 ? 'pages.activity.detail.needsApprovalsThenDelay' : 'pages.activity.detail.needsApprovals', { needed, delay })
          : t('pages.activity.detail.sentAfterDelay', { delay });
      return `${t('pages.activity.detail.press', press)} · ${waits}`;
    }
    case 'action.denied':
      return `${t('pages.activity.detail.press', press)}${d.reason ? ` · ${t('pages.activity.detail.quoted', { text: String(d.reason) })}` : ''}`;
    case 'action.refused':
    case 'action.approved':
    case 'action.request_expired':
    case 'action.cancelled':
      return t('pages.activity.detail.press', press);
    case 'member.role_changed':
    case 'oidc.membership_changed':
      return t('pages.activity.detail.roleChanged', { who: String(e.subject), from: String(d.from), to: String(d.to) });
    case 'invite.created':
      return t('pages.activity.detail.inviteFor', { role: String(e.subject) });
    case 'event.handled':
      return t(d.handled ? 'pages.activity.detail.handled' : 'pages.activity.detail.notHandled', press);
    case 'project.renamed':
      return t('pages.activity.detail.renamed', { from: String(d.from), to: String(e.subject) });
    case 'policy.changed':
      return policyChangeInWords(d.change) || (d.freeze === true ? t('pages.activity.detail.frozen') : t('pages.activity.detail.noChange'));
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
        <h1 className="text-lg font-semibold">{t('pages.activity.title')}</h1>
        <p className="text-sm text-slate-700 dark:text-slate-300">{t('pages.activity.viewerOnly', { project: project.name })}</p>
      </Card>
    );
  }
  const kinds: readonly AuditKind[] = admin ? AUDIT_KINDS : PRESS_KINDS;
  const select = 'min-h-11 rounded-lg border border-slate-300 bg-white px-2 text-sm dark:border-slate-700 dark:bg-slate-900';
  return (
    <div className="flex flex-col gap-3">
      <h1 className="text-xl font-semibold">
        {project
          ? t(admin ? 'pages.activity.titleIn' : 'pages.activity.pressesIn', { project: project.name })
          : t(admin ? 'pages.activity.title' : 'pages.activity.presses')}
      </h1>
      <div className="flex flex-wrap gap-2">
        {admin && (
          <select aria-label={t('pages.activity.person')} className={select} value={person ?? ''} onChange={(e) => setPerson(e.target.value || null)}>
            <option value="">{t('pages.activity.everyone')}</option>
            {(members.data ?? []).map((m) => (
              <option key={m.userId} value={m.userId}>
                {m.name || m.email}
              </option>
            ))}
          </select>
        )}
        <select aria-label={t('pages.activity.kind')} className={select} value={kind ?? ''} onChange={(e) => setKind((e.target.value || null) as AuditKind | null)}>
          <option value="">{t('pages.activity.everything')}</option>
          {kinds.map((k) => (
            <option key={k} value={k}>
              {KIND_LABEL[k]()}
            </option>
          ))}
        </select>
        <select aria-label={t('pages.activity.outcome')} className={select} value={outcome ?? ''} onChange={(e) => setOutcome((e.target.value || null) as PressOutcome | null)}>
          <option value="">{t('pages.activity.anyOutcome')}</option>
          {PRESS_OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {OUTCOME_LABEL[o]()}
            </option>
          ))}
        </select>
      </div>
      {audit.isError && <Alert>{t('pages.activity.loadFailed', { error: audit.error.message })}</Alert>}
      {audit.isPending ? (
        <p className="py-6 text-center text-sm text-slate-500" aria-live="polite">
          {t('pages.activity.loading')}
        </p>
      ) : entries.length === 0 ? (
        <p className="py-6 text-center text-sm text-slate-600 dark:text-slate-400">{person || kind || outcome ? t('pages.activity.emptyFiltered') : t('pages.activity.empty')}</p>
      ) : (
        <ol aria-label={t('pages.activity.title')} className="flex flex-col divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900">
          {entries.map((e) => (
            <li key={e.id} className="flex flex-col gap-0.5 px-3 py-2 sm:flex-row sm:flex-wrap sm:items-baseline sm:gap-x-3">
              <span className="shrink-0 text-sm font-medium">{KIND_LABEL[e.kind]?.() ?? e.kind}</span>
              {e.outcome && <Outcome outcome={e.outcome} />}
              {PRESS_KINDS.some((k) => k === e.kind) && e.subject ? (
                <Link href={projectHref(slug, `/events/${encodeURIComponent(e.subject)}`)} className="min-w-48 flex-1 truncate text-sm text-sky-800 underline dark:text-sky-300">
                  {detailOf(e)}
                </Link>
              ) : (
                <span className="min-w-48 flex-1 truncate text-sm text-slate-700 dark:text-slate-300">{detailOf(e)}</span>
              )}
              <span className="flex min-w-0 flex-wrap items-center gap-x-1 text-xs text-slate-600 sm:ms-auto dark:text-slate-400">
                {e.actor.id === null ? (
                  <span title={t('pages.activity.cliTitle')}>{t('pages.activity.cli')}</span>
                ) : (
                  <>
                    <PersonMark id={e.actor.id} />
                    <span dir="ltr" className="min-w-0 truncate">
                      {e.actor.email}
                    </span>
                  </>
                )}
                <span aria-hidden="true">·</span>
                <RelativeTime iso={e.at} />
                {e.address && (
                  <>
                    <span aria-hidden="true">·</span>
                    <span className="break-all" title={t('pages.activity.addressTitle')}>
                      {rich('pages.activity.fromAddress', { address: <span dir="ltr">{e.address}</span> })}
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
          {audit.isFetchingNextPage ? t('pages.loading') : t('pages.activity.showOlder')}
        </Button>
      )}
    </div>
  );
}

/**
 * Settings → Members, for a project's admins: who is in it (a mark made from the account, name,
 * email, when they were last active and whether the project's notifications reach them, role), a
 * role select, Reset link and Remove per person (Remove confirms in the AlertDialog and offers to
 * revoke the API keys they made), a "More" menu per person (copy the email; owners make someone an
 * owner or no longer one),
 * Invite (a link for one role, shown once, to pass on), the pending invites a page at a time with
 * Revoke, and a one-time password-reset link per member.
 */
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { type ApiKeyDto, type MemberDto, PROJECT_ROLES, type ProjectRole } from '../../../contract/api.ts';
import { AlertDialog } from '../../components/AlertDialog.tsx';
import { Alert, Button, Card } from '../../components/ui.tsx';
import { intlLocale, t } from '../../i18n/i18n.ts';
import { useAuthStatus } from '../auth/api.ts';
import { RelativeTime } from '../feed/RelativeTime.tsx';
import { useApiKeys } from '../settings/api.ts';
import { rich } from '../../i18n/rich.tsx';
import { useInvites, useMembers, useProjectMutations } from './manage.ts';
import { MemberMenu, type MenuItem } from './MemberMenu.tsx';
import { PersonMark } from './PersonMark.tsx';

const NO_KEYS: ApiKeyDto[] = [];
const ROLE_NAMES: Record<ProjectRole, () => string> = {
  viewer: () => t('settings.role.viewer'),
  member: () => t('settings.role.member'),
  admin: () => t('settings.role.admin'),
};
const select = 'min-h-11 rounded-lg border border-slate-300 bg-white px-2 text-sm dark:border-slate-700 dark:bg-slate-900';

/** A link shown once, with Copy. */
function OneTimeLink({ label, url, note, onDone }: { label: string; url: string; note: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div role="status" className="flex flex-col gap-2 rounded-lg bg-emerald-50 p-3 ring-1 ring-emerald-200 dark:bg-emerald-950/50 dark:ring-emerald-900">
      <p className="text-sm font-medium">{note}</p>
      <input readOnly dir="ltr" aria-label={label} value={url} onFocus={(e) => e.currentTarget.select()} className="min-h-11 w-full rounded bg-white px-2 font-mono text-sm dark:bg-slate-950" />
      <div className="flex gap-2">
        <Button onClick={() => navigator.clipboard.writeText(url).then(() => setCopied(true))}>{copied ? t('settings.common.copied') : t('settings.members.copyLink')}</Button>
        <Button onClick={onDone}>{t('settings.common.done')}</Button>
      </div>
    </div>
  );
}

/**
 * Remove's confirm step, in the app's one AlertDialog (focus on Cancel, Escape cancels, focus back to
 * Remove): when the person made API keys here that still work, whether to revoke them too.
 */
function RemoveDialog({ who, m, projectName, keys, pending, error, onCancel, onRemove }: {
  who: string;
  m: MemberDto;
  projectName: string;
  keys: ApiKeyDto[];
  pending: boolean;
  error: Error | null;
  onCancel: () => void;
  onRemove: (revokeKeys: boolean) => void;
}) {
  // An admin's keys go with them unless unticked; anyone else's (made while they were an admin) stay unless ticked.
  const [revokeKeys, setRevokeKeys] = useState(m.role === 'admin');
  const id = useId();
  const n = keys.length;
  return (
    <AlertDialog
      title={t('settings.members.removeTitle', { who })}
      confirmLabel={t('settings.members.removeNow', { who })}
      pendingContent={t('settings.members.removing')}
      tone="danger"
      pending={pending}
      onConfirm={() => onRemove(n > 0 && revokeKeys)}
      onCancel={onCancel}
      after={error && <Alert>{error.message}</Alert>}
    >
      <p>{t('settings.members.removeText', { who, project: projectName })}</p>
      {n > 0 && (
        <div>
          <label htmlFor={id} className="flex min-h-11 items-center gap-2 font-medium text-slate-900 dark:text-slate-100">
            <input
              id={id}
              type="checkbox"
              aria-describedby={`${id}-keys`}
              className="size-5 shrink-0 accent-red-700 dark:accent-red-400"
              checked={revokeKeys}
              disabled={pending}
              onChange={(e) => setRevokeKeys(e.target.checked)}
            />
            {t('settings.members.alsoRevoke', { count: n })}
          </label>
          <p id={`${id}-keys`} className="ps-7 text-xs text-slate-600 dark:text-slate-400">
            {new Intl.ListFormat(intlLocale(), { type: 'unit', style: 'short' }).format(keys.map((k) => k.name))}
          </p>
        </div>
      )}
    </AlertDialog>
  );
}

/** How a name compares with another: `Maria Ruiz`, `maria ruiz` and `Ｍａｒｉａ Ruiz` are one. */
const nameKey = (name: string) => name.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');

/**
 * When the person last used the app (relative, the absolute time on hover and read out) and whether
 * this project's pushes reach them: said in words, the dot beside them is only a cue.
 */
function Activity({ m, projectName }: { m: MemberDto; projectName: string }) {
  return (
    <div className="mt-0.5 flex flex-wrap gap-x-3 gap-y-0.5 ps-10 text-xs text-slate-600 dark:text-slate-400">
      <span className="whitespace-nowrap">
        {m.lastActiveAt ? rich('settings.members.active', { when: <RelativeTime iso={m.lastActiveAt} /> }) : t('settings.members.notSignedIn')}
      </span>
      <span
        className="inline-flex items-center gap-1 whitespace-nowrap"
        title={t(m.notifications ? 'settings.members.pushesReach' : 'settings.members.pushesDontReach', { project: projectName })}
      >
        <span aria-hidden="true" className={`size-1.5 shrink-0 rounded-full ${m.notifications ? 'bg-emerald-600 dark:bg-emerald-400' : 'bg-slate-400 dark:bg-slate-500'}`} />
        {m.notifications ? t('settings.members.notificationsOn') : t('settings.members.notificationsOff')}
      </span>
    </div>
  );
}

function MemberRow({ slug, projectName, m, me, iAmOwner, keys, nameShared, onRemoving, onNotice }: {
  slug: string;
  projectName: string;
  m: MemberDto;
  me: string | undefined;
  iAmOwner: boolean;
  keys: ApiKeyDto[];
  /** Another member has the same name: buttons name this one by its email too. */
  nameShared: boolean;
  /** Remove was confirmed (or the dialog closed: null), for Members to say so and keep focus once the row is gone. */
  onRemoving: (removing: { userId: string; who: string } | null) => void;
  onNotice: (text: string) => void;
}) {
  const { setRole, remove, resetLink, setOwner } = useProjectMutations(slug);
  const [confirming, setConfirming] = useState(false);
  const who = m.name ? (nameShared ? `${m.name} (${m.email})` : m.name) : m.email;
  const error = setRole.error ?? resetLink.error ?? setOwner.error;
  const more: MenuItem[] = [
    {
      label: t('settings.members.copyEmailOf', { who }),
      onSelect: () =>
        void navigator.clipboard.writeText(m.email).then(
          () => onNotice(t('settings.members.copiedEmail', { email: m.email })),
          () => onNotice(t('settings.members.copyFailed', { email: m.email })),
        ),
    },
  ];
  if (iAmOwner && m.userId !== me) {
    more.push({
      label: t(m.owner ? 'settings.members.makeNotOwner' : 'settings.members.makeOwner', { who }),
      disabled: setOwner.isPending,
      onSelect: () =>
        setOwner.mutate(
          { userId: m.userId, owner: !m.owner },
          { onSuccess: () => onNotice(t(m.owner ? 'settings.members.noLongerOwner' : 'settings.members.nowOwner', { who })) },
        ),
    });
  }
  return (
    // On a phone each person is a block (name, email, then role and buttons); a table from sm up.
    // On a phone the "More" button sits at the top right of the block, beside the name and email.
    <tr className="relative flex flex-wrap items-center gap-x-3 gap-y-1 border-t border-slate-100 py-2 align-middle sm:table-row sm:py-0 dark:border-slate-800">
      <td className="max-sm:pe-14 sm:min-w-40 sm:py-2 sm:pe-2">
        <div className="flex items-center gap-1.5">
          <PersonMark id={m.userId} />
          <span className="min-w-0 break-words">
            <span className="font-medium">{m.name || '—'}</span>
            {m.userId === me && <span className="ms-1 text-xs text-slate-600 dark:text-slate-400">{t('settings.members.you')}</span>}
          </span>
        </div>
        {/* Under the name, in line with it (the mark is 34 px, then the gap): no column of its own, so the row is no wider. */}
        <Activity m={m} projectName={projectName} />
      </td>
      <td dir="ltr" className="min-w-0 basis-full truncate text-start text-sm max-sm:pe-14 sm:max-w-[12rem] sm:basis-auto sm:py-2 sm:pe-2 rtl:text-end">{m.email}</td>
      <td className="sm:py-2 sm:pe-2">
        {m.owner ? (
          <span className="text-sm" title={t('settings.members.ownersNote')}>
            {t('settings.role.owner')}
          </span>
        ) : (
          <select
            aria-label={t('settings.members.roleOf', { who })}
            className={select}
            value={m.role}
            disabled={setRole.isPending}
            onChange={(e) => setRole.mutate({ userId: m.userId, role: e.target.value as ProjectRole })}
          >
            {PROJECT_ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_NAMES[r]()}
              </option>
            ))}
          </select>
        )}
      </td>
      <td className="min-w-0 flex-1 sm:py-2">
        <div className="flex flex-wrap items-center gap-2 sm:justify-end lg:flex-nowrap">
          {!m.owner && (
            <>
              <Button className="whitespace-nowrap" onClick={() => resetLink.mutate(m.userId)} disabled={resetLink.isPending} aria-label={t('settings.members.resetLinkFor', { who })}>
                {t('settings.members.resetLink')}
              </Button>
              <Button tone="dangerQuiet" onClick={() => setConfirming(true)} aria-label={t('settings.common.removeNamed', { name: who })}>
                {t('settings.common.remove')}
              </Button>
            </>
          )}
          <div className="max-sm:absolute max-sm:top-2 max-sm:end-0">
            <MemberMenu who={who} items={more} />
          </div>
        </div>
        {confirming && (
          <RemoveDialog
            who={who}
            m={m}
            projectName={projectName}
            keys={keys}
            pending={remove.isPending}
            error={remove.error}
            onCancel={() => {
              remove.reset();
              setConfirming(false);
              onRemoving(null);
            }}
            onRemove={(revokeKeys) => {
              onRemoving({ userId: m.userId, who });
              remove.mutate({ userId: m.userId, revokeKeys });
            }}
          />
        )}
        {resetLink.data && (
          <div className="mt-2">
            <OneTimeLink
              label={t('settings.members.resetLinkFor', { who })}
              url={resetLink.data.url}
              note={t('settings.members.resetNote', { who })}
              onDone={() => resetLink.reset()}
            />
          </div>
        )}
        {error && <Alert>{error.message}</Alert>}
      </td>
    </tr>
  );
}

export function Members({ slug, projectName }: { slug: string; projectName: string }) {
  const user = useAuthStatus().data?.user;
  const me = user?.id;
  const iAmOwner = user?.role === 'owner';
  const members = useMembers(slug, true);
  const invites = useInvites(slug, true);
  const pending = useMemo(() => invites.data?.pages.flatMap((p) => p.invites) ?? [], [invites.data]);
  // The keys list only holds keys that still work: who made which, for Remove to offer revoking them.
  const keys = useApiKeys(slug);
  const keysBy = useMemo(() => {
    const by = new Map<string, ApiKeyDto[]>();
    for (const k of keys.data ?? []) if (k.createdBy) by.set(k.createdBy.id, [...(by.get(k.createdBy.id) ?? []), k]);
    return by;
  }, [keys.data]);
  const sharedNames = useMemo(() => {
    const seen = new Map<string, number>();
    for (const m of members.data ?? []) if (m.name) seen.set(nameKey(m.name), (seen.get(nameKey(m.name)) ?? 0) + 1);
    return new Set([...seen].filter(([, n]) => n > 1).map(([name]) => name));
  }, [members.data]);
  const { invite, revokeInvite } = useProjectMutations(slug);
  const [role, setRole] = useState<ProjectRole>('member');
  const [notice, setNotice] = useState('');
  // A removal under way: once its row is gone (focus with it), say so and put focus on the heading.
  const [removing, setRemoving] = useState<{ userId: string; who: string } | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (!removing || !members.data || members.data.some((m) => m.userId === removing.userId)) return;
    setRemoving(null);
    setNotice(t('settings.members.removed', { who: removing.who, project: projectName }));
    heading.current?.focus();
  }, [removing, members.data, projectName]);
  return (
    <Card className="flex flex-col gap-4">
      <div>
        <h2 id="members" ref={heading} tabIndex={-1} className="text-lg font-semibold">{t('settings.members.title')}</h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          {t('settings.members.intro', { project: projectName })}
        </p>
        <p role="status" className="mt-1 text-sm font-medium text-emerald-800 dark:text-emerald-300">
          {notice}
        </p>
      </div>
      <div className="flex flex-wrap items-end gap-2">
        <select aria-label={t('settings.members.inviteRole')} className={select} value={role} onChange={(e) => setRole(e.target.value as ProjectRole)}>
          {PROJECT_ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_NAMES[r]()}
            </option>
          ))}
        </select>
        <Button tone="primary" onClick={() => invite.mutate(role)} disabled={invite.isPending}>
          {invite.isPending ? t('settings.members.makingLink') : t('settings.members.invite')}
        </Button>
      </div>
      {invite.data && (
        <OneTimeLink
          label={t('settings.members.inviteLink')}
          url={invite.data.url}
          note={t('settings.members.inviteNote', { role: invite.data.role })}
          onDone={() => invite.reset()}
        />
      )}
      {invite.error && <Alert>{invite.error.message}</Alert>}
      {members.isError && <Alert>{t('settings.members.loadFailed', { error: members.error.message })}</Alert>}
      {members.data && (
        <div className="p-0.5">
          <table className="w-full text-start max-sm:block">
            <caption className="sr-only">{t('settings.members.caption', { project: projectName })}</caption>
            <thead className="max-sm:sr-only">
              <tr className="text-xs text-slate-600 dark:text-slate-400">
                <th scope="col" className="py-1 pe-2 font-medium">{t('settings.members.name')}</th>
                <th scope="col" className="py-1 pe-2 font-medium">{t('settings.members.email')}</th>
                <th scope="col" className="py-1 pe-2 font-medium">{t('settings.members.role')}</th>
                <th scope="col" className="py-1 font-medium"><span className="sr-only">{t('settings.members.actions')}</span></th>
              </tr>
            </thead>
            <tbody className="max-sm:block">
              {members.data.map((m) => (
                <MemberRow
                  key={m.userId}
                  slug={slug}
                  projectName={projectName}
                  m={m}
                  me={me}
                  iAmOwner={iAmOwner}
                  keys={keysBy.get(m.userId) ?? NO_KEYS}
                  nameShared={m.name !== '' && sharedNames.has(nameKey(m.name))}
                  onRemoving={setRemoving}
                  onNotice={setNotice}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {invites.isError && <Alert>{t('settings.members.invitesLoadFailed', { error: invites.error.message })}</Alert>}
      {pending.length > 0 && (
        <div className="flex flex-col gap-1">
          <h3 className="text-sm font-semibold">{t('settings.members.pendingInvites')}</h3>
          <ul aria-label={t('settings.members.pendingInvites')} className="divide-y divide-slate-100 dark:divide-slate-800">
            {pending.map((i) => (
              <li key={i.id} className="flex flex-wrap items-center gap-3 py-2 text-sm">
                <span className="flex-1">
                  {rich(i.createdBy ? 'settings.members.inviteRow' : 'settings.members.inviteRowCli', {
                    role: ROLE_NAMES[i.role](),
                    by: i.createdBy ?? '',
                    when: <RelativeTime iso={i.createdAt} />,
                    until: new Intl.DateTimeFormat(intlLocale()).format(new Date(i.expiresAt)),
                  })}
                </span>
                <Button tone="dangerQuiet" onClick={() => revokeInvite.mutate(i.id)} disabled={revokeInvite.isPending} aria-label={t('settings.members.revokeInvite', { role: i.role })}>
                  {t('settings.common.revoke')}
                </Button>
              </li>
            ))}
          </ul>
          {invites.hasNextPage && (
            <Button onClick={() => void invites.fetchNextPage()} disabled={invites.isFetchingNextPage} className="self-center">
              {invites.isFetchingNextPage ? t('settings.members.loading') : t('settings.members.showMore')}
            </Button>
          )}
        </div>
      )}
    </Card>
  );
}

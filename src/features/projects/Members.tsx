/**
 * Settings → Members, for a project's admins: who is in it (name, email, role), a role select and
 * Remove per person, Invite (a link for one role, shown once, to pass on), the pending invites with
 * Revoke, and a one-time password-reset link per member.
 */
import { useState } from 'react';
import { type MemberDto, PROJECT_ROLES, type ProjectRole } from '../../../contract/api.ts';
import { Alert, Button, Card } from '../../app/ui.tsx';
import { useAuthStatus } from '../auth/api.ts';
import { RelativeTime } from '../feed/RelativeTime.tsx';
import { useInvites, useMembers, useProjectMutations } from './api.ts';

const ROLE_NAMES: Record<ProjectRole, string> = { viewer: 'Viewer', member: 'Member', admin: 'Admin' };
const select = 'min-h-11 rounded-lg border border-slate-300 bg-white px-2 text-sm dark:border-slate-700 dark:bg-slate-900';

/** A link shown once, with Copy. */
function OneTimeLink({ label, url, note, onDone }: { label: string; url: string; note: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div role="status" className="flex flex-col gap-2 rounded-lg bg-emerald-50 p-3 ring-1 ring-emerald-200 dark:bg-emerald-950/50 dark:ring-emerald-900">
      <p className="text-sm font-medium">{note}</p>
      <input readOnly aria-label={label} value={url} onFocus={(e) => e.currentTarget.select()} className="min-h-11 w-full rounded bg-white px-2 font-mono text-sm dark:bg-slate-950" />
      <div className="flex gap-2">
        <Button onClick={() => navigator.clipboard.writeText(url).then(() => setCopied(true))}>{copied ? 'Copied' : 'Copy link'}</Button>
        <Button onClick={onDone}>Done</Button>
      </div>
    </div>
  );
}

function MemberRow({ slug, m, me, iAmOwner }: { slug: string; m: MemberDto; me: string | undefined; iAmOwner: boolean }) {
  const { setRole, remove, resetLink, setOwner } = useProjectMutations(slug);
  const [confirming, setConfirming] = useState(false);
  const who = m.name || m.email;
  const error = setRole.error ?? remove.error ?? resetLink.error ?? setOwner.error;
  return (
    // On a phone each person is a block (name, email, then role and buttons); a table from sm up.
    <tr className="flex flex-wrap items-center gap-x-3 gap-y-1 border-t border-slate-100 py-2 align-middle sm:table-row sm:py-0 dark:border-slate-800">
      <td className="sm:py-2 sm:pr-2">
        <span className="font-medium">{m.name || '—'}</span>
        {m.userId === me && <span className="ml-1 text-xs text-slate-600 dark:text-slate-400">(you)</span>}
      </td>
      <td className="min-w-0 basis-full truncate text-sm sm:max-w-[12rem] sm:basis-auto sm:py-2 sm:pr-2">{m.email}</td>
      <td className="sm:py-2 sm:pr-2">
        {m.owner ? (
          <span className="text-sm" title="Owners are admins of every project">
            Owner
          </span>
        ) : (
          <select
            aria-label={`Role of ${who}`}
            className={select}
            value={m.role}
            disabled={setRole.isPending}
            onChange={(e) => setRole.mutate({ userId: m.userId, role: e.target.value as ProjectRole })}
          >
            {PROJECT_ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_NAMES[r]}
              </option>
            ))}
          </select>
        )}
      </td>
      <td className="min-w-0 flex-1 sm:py-2">
        {iAmOwner && m.userId !== me && (
          <div className="mb-2 flex justify-start sm:justify-end">
            <Button onClick={() => setOwner.mutate({ userId: m.userId, owner: !m.owner })} disabled={setOwner.isPending} aria-label={`${m.owner ? 'No longer an owner' : 'Make an owner'}: ${who}`}>
              {m.owner ? 'Not an owner' : 'Make owner'}
            </Button>
          </div>
        )}
        {!m.owner && (
          <div className="flex flex-wrap gap-2 sm:justify-end">
            <Button onClick={() => resetLink.mutate(m.userId)} disabled={resetLink.isPending} aria-label={`Password reset link for ${who}`}>
              Reset link
            </Button>
            {confirming ? (
              <>
                <Button onClick={() => setConfirming(false)}>Cancel</Button>
                <Button tone="danger" disabled={remove.isPending} onClick={() => remove.mutate(m.userId)} aria-label={`Remove ${who} now`}>
                  {remove.isPending ? 'Removing…' : 'Remove now'}
                </Button>
              </>
            ) : (
              <Button tone="dangerQuiet" onClick={() => setConfirming(true)} aria-label={`Remove ${who}`}>
                Remove
              </Button>
            )}
          </div>
        )}
        {resetLink.data && (
          <OneTimeLink
            label={`Password reset link for ${who}`}
            url={resetLink.data.url}
            note={`Send this to ${who}: it sets a new password once, within 24 hours.`}
            onDone={() => resetLink.reset()}
          />
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
  const { invite, revokeInvite } = useProjectMutations(slug);
  const [role, setRole] = useState<ProjectRole>('member');
  return (
    <Card className="flex flex-col gap-4">
      <div>
        <h2 className="text-lg font-semibold">Members</h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Who can see {projectName}. Viewers read; members also press actions; admins also manage keys, the secret and members.
        </p>
      </div>
      <div className="flex flex-wrap items-end gap-2">
        <select aria-label="Role of the invite" className={select} value={role} onChange={(e) => setRole(e.target.value as ProjectRole)}>
          {PROJECT_ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_NAMES[r]}
            </option>
          ))}
        </select>
        <Button tone="primary" onClick={() => invite.mutate(role)} disabled={invite.isPending}>
          {invite.isPending ? 'Making a link…' : 'Invite'}
        </Button>
      </div>
      {invite.data && (
        <OneTimeLink
          label="Invite link"
          url={invite.data.url}
          note={`An invite to join as ${ROLE_NAMES[invite.data.role].toLowerCase()}: it works once, for 7 days. Copy it now: it is shown only once.`}
          onDone={() => invite.reset()}
        />
      )}
      {invite.error && <Alert>{invite.error.message}</Alert>}
      {members.isError && <Alert>Could not load the members: {members.error.message}</Alert>}
      {members.data && (
        <div className="p-0.5">
          <table className="w-full text-left max-sm:block">
            <caption className="sr-only">Members of {projectName}</caption>
            <thead className="max-sm:sr-only">
              <tr className="text-xs text-slate-600 dark:text-slate-400">
                <th scope="col" className="py-1 pr-2 font-medium">Name</th>
                <th scope="col" className="py-1 pr-2 font-medium">Email</th>
                <th scope="col" className="py-1 pr-2 font-medium">Role</th>
                <th scope="col" className="py-1 font-medium"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody className="max-sm:block">
              {members.data.map((m) => (
                <MemberRow key={m.userId} slug={slug} m={m} me={me} iAmOwner={iAmOwner} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {invites.data && invites.data.length > 0 && (
        <div>
          <h3 className="text-sm font-semibold">Pending invites</h3>
          <ul aria-label="Pending invites" className="divide-y divide-slate-100 dark:divide-slate-800">
            {invites.data.map((i) => (
              <li key={i.id} className="flex flex-wrap items-center gap-3 py-2 text-sm">
                <span className="flex-1">
                  {ROLE_NAMES[i.role]} · made by {i.createdBy ?? 'the command line'} <RelativeTime iso={i.createdAt} /> · until {new Date(i.expiresAt).toLocaleDateString()}
                </span>
                <Button tone="dangerQuiet" onClick={() => revokeInvite.mutate(i.id)} disabled={revokeInvite.isPending} aria-label={`Revoke the ${i.role} invite`}>
                  Revoke
                </Button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </Card>
  );
}

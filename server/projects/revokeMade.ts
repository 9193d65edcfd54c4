/** What a person made as a project's admin, ended when they stop being one (Members, single sign-on). */
import type { StoreRepositories } from '../store/types.ts';
import type { MemberRow } from '../store/records.ts';
import { type Actor, audit } from '../audit/log.ts';

/**
 * Someone loses the admin role in a project (removed or demoted): the invites they made there are
 * revoked, their reset links end, and — when asked — the API keys they made are revoked; each audited.
 */
export async function revokeWhatTheyMade(tx: StoreRepositories, projectId: number, who: Pick<MemberRow, 'user_id' | 'email'>, by: Actor, t: number, keys: boolean) {
  const reason = 'their maker is no longer an admin of this project';
  for (const invite of await tx.invites.revokeMadeBy(projectId, who.user_id, t)) {
    await audit(tx, projectId, by, 'invite.revoked', null, t, { invite: invite.id, role: invite.role, madeBy: who.email, reason });
  }
  if (keys) for (const name of await tx.apiKeys.revokeMadeBy(projectId, who.user_id, t)) await audit(tx, projectId, by, 'key.revoked', name, t, { madeBy: who.email, reason });
  await tx.passwordResets.removeMadeBy(who.user_id, projectId);
}

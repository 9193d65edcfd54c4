/**
 * A person's memberships as the provider's groups say, made so at each sign-in through it. Only the
 * projects OIDC_ROLES names are managed: a membership elsewhere (an invite, an admin's doing) is left
 * alone. In a managed project the groups decide, the way an admin's change would: added, re-roled or
 * removed, audited as `oidc.membership_*`, the person's reset link ended, and — when they stop being
 * an admin — the invites and reset links they made there ended too. Owners' accounts keep being owners
 * whatever the groups say: single sign-on never gives nor takes the owner role.
 */
import { type ProjectRole, roleAtLeast } from '../../../contract/api.ts';
import { type Actor, audit } from '../../audit/log.ts';
import { revokeWhatTheyMade } from '../../projects/revokeMade.ts';
import type { ProjectRow } from '../../store/records.ts';
import type { StoreRepositories } from '../../store/types.ts';
import type { OidcRoleRule } from './config.ts';

export interface MembershipChange {
  project: string;
  from: ProjectRole | null;
  to: ProjectRole | null;
}

/** The role the groups give in each project OIDC_ROLES names (the highest when several of the groups name one). */
export function rolesFromGroups(groups: readonly string[], rules: readonly OidcRoleRule[]): Map<string, ProjectRole> {
  const mine = new Set(groups);
  const roles = new Map<string, ProjectRole>();
  for (const rule of rules) {
    if (!mine.has(rule.group)) continue;
    const had = roles.get(rule.project);
    if (!had || !roleAtLeast(had, rule.role)) roles.set(rule.project, rule.role);
  }
  return roles;
}

/** The managed projects that exist (a slug OIDC_ROLES names may not have been created yet). */
export async function managedProjects(tx: Pick<StoreRepositories, 'projects'>, rules: readonly OidcRoleRule[]): Promise<ProjectRow[]> {
  const slugs = [...new Set(rules.map((r) => r.project))];
  const found = await Promise.all(slugs.map((slug) => tx.projects.bySlug(slug)));
  return found.filter((p): p is ProjectRow => p !== undefined);
}

/**
 * Makes the person's memberships in the managed projects what `wanted` says (by slug); returns what
 * changed. Call inside a transaction; announce the person's access after it commits.
 */
export async function syncMemberships(
  tx: StoreRepositories,
  person: Actor & { id: string; email: string },
  wanted: ReadonlyMap<string, ProjectRole>,
  managed: readonly ProjectRow[],
  at: number,
): Promise<MembershipChange[]> {
  const changes: MembershipChange[] = [];
  for (const project of managed) {
    const from = await tx.members.role(project.id, person.id);
    const to = wanted.get(project.slug) ?? null;
    if (from === to) continue;
    if (from === null) {
      await tx.members.add(project.id, person.id, to!, at);
      await audit(tx, project.id, person, 'oidc.membership_added', person.email, at, { role: to });
    } else {
      if (to === null) {
        await tx.members.remove(project.id, person.id);
        await audit(tx, project.id, person, 'oidc.membership_removed', person.email, at, { role: from });
      } else {
        await tx.members.setRole(project.id, person.id, to);
        await audit(tx, project.id, person, 'oidc.membership_changed', person.email, at, { from, to });
      }
      // As when an admin changes it: a reset link made for the old roles ends, and an admin who is no
      // longer one loses the invites and reset links they made there.
      await tx.passwordResets.removeForUser(person.id);
      if (from === 'admin') await revokeWhatTheyMade(tx, project.id, { user_id: person.id, email: person.email }, person, at, false);
    }
    changes.push({ project: project.slug, from, to });
  }
  return changes;
}

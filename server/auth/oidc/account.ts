/**
 * Who a sign-in through the provider is here. An account is found by the provider's issuer and the
 * person's subject, never by email: the first sign-in makes a new account bound to them, and an
 * account that exists with the same email (a password account) is not taken over — the sign-in is
 * refused, saying so. Then the memberships follow the groups (./memberships.ts); a person whose groups
 * give no project here gets no session (an existing account's managed memberships are removed first).
 */
import { randomBytes } from 'node:crypto';
import { email as emailSchema, personName } from '../../../contract/auth.ts';
import type { AppStore } from '../../store/types.ts';
import { hashPassword } from '../passwords.ts';
import type { OidcPerson } from './client.ts';
import type { OidcConfig } from './config.ts';
import { type MembershipChange, managedProjects, rolesFromGroups, syncMemberships } from './memberships.ts';
import type { Refusal } from './page.ts';

export type SignInOutcome = { ok: true; userId: string; changes: MembershipChange[] } | { ok: false; refusal: Refusal; changes: MembershipChange[]; userId: string | null };

/** Two first sign-ins of one person at once: the second one looks again. */
class Raced extends Error {}

export async function signInThroughProvider(store: AppStore, settings: OidcConfig, person: OidcPerson, address: string, now: () => number): Promise<SignInOutcome> {
  // An address the provider says it has not verified is not used: anyone could have typed it there,
  // and teammates would see it beside everything its holder does.
  const parsedEmail = person.email === null || person.emailVerified === false ? null : emailSchema.safeParse(person.email);
  const email = parsedEmail?.success ? parsedEmail.data : null;
  const parsedName = person.name === null ? null : personName.safeParse(person.name.slice(0, 80));
  const name = parsedName?.success ? parsedName.data : '';
  const wanted = rolesFromGroups(person.groups, settings.roles);
  const groupsLine = person.groups.length === 0
    ? `${settings.name} sent no groups for your account (claim "${settings.groupsClaim}").`
    : `Your groups at ${settings.name}: ${person.groups.slice(0, 20).join(', ')}${person.groups.length > 20 ? ', …' : ''}.`;
  const noGroups = (userId: string | null, changes: MembershipChange[]): SignInOutcome => ({
    ok: false,
    userId,
    changes,
    refusal: {
      status: 403,
      code: 'no_project',
      title: 'No access to Switchboard',
      message: `Your account at ${settings.name} is not in a group that gives access to any project here, so you are not signed in. Ask whoever runs Switchboard to add you to one of its groups at ${settings.name}, then sign in again.`,
      details: [groupsLine],
    },
  });

  for (let attempt = 0; ; attempt++) {
    // A password nobody knows, hashed like any other (so signing in with it takes as long as with a
    // real one): the account signs in through the provider, until an owner's reset link gives it one.
    const unknown = (await store.oidc.userFor(person.issuer, person.subject)) === null ? await hashPassword(randomBytes(32).toString('base64url')) : null;
    try {
      return await store.transaction(async (tx): Promise<SignInOutcome> => {
        const t = now();
        const managed = await managedProjects(tx, settings.roles);
        const here = new Map([...wanted].filter(([slug]) => managed.some((p) => p.slug === slug)));
        let userId = await tx.oidc.userFor(person.issuer, person.subject);
        if (userId === null) {
          if (unknown === null) throw new Raced();
          if (here.size === 0) return noGroups(null, []);
          if (email === null) {
            return { ok: false, userId: null, changes: [], refusal: { status: 403, code: 'no_email', title: 'No email address', message: `${settings.name} did not give a verified email address for your account, and Switchboard needs one. Ask whoever runs ${settings.name} to add one, then sign in again.` } };
          }
          if (await tx.users.byEmail(email)) {
            return {
              ok: false,
              userId: null,
              changes: [],
              refusal: {
                status: 409,
                code: 'email_unavailable',
                title: 'This email already has an account',
                message: `An account with your email (${email}) already exists here, and single sign-on never takes over an existing account. Sign in with that account's password instead; linking it to ${settings.name} is not possible yet.`,
              },
            };
          }
          const user = await tx.users.create(email, unknown, 'member', t, name);
          if (!(await tx.oidc.link(person.issuer, person.subject, user.id, t))) throw new Raced();
          userId = user.id;
        } else {
          await tx.oidc.signedIn(person.issuer, person.subject, t);
          // The provider's email is followed while no other account has it (else the old one stays).
          const current = await tx.users.byId(userId);
          if (email !== null && current && current.email !== email) await tx.users.setEmail(userId, email);
        }
        const user = (await tx.users.byId(userId))!;
        const changes = await syncMemberships(tx, { id: user.id, email: user.email, address }, here, managed, t);
        if (here.size === 0) return noGroups(user.id, changes);
        return { ok: true, userId: user.id, changes };
      });
    } catch (err) {
      if (err instanceof Raced && attempt < 2) continue;
      throw err;
    }
  }
}

/** Request bodies of projects, members and invites: validated on the server, typed in the PWA. */
import { z } from 'zod';
import { PROJECT_ROLES } from './api.ts';
import { email, newPassword, personName, setupBody } from './auth.ts';

/** A project's slug: its URL segment (`/p/ops`, `/api/projects/ops/…`). */
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

const slug = z
  .string({ error: 'must be a string' })
  .regex(SLUG_PATTERN, { error: 'must be 1 to 40 lowercase letters, digits or dashes, starting and ending with a letter or digit' });

const projectName = z
  .string({ error: 'is required' })
  .trim()
  .min(1, { error: 'is required' })
  .max(80, { error: 'must be at most 80 characters' });

export const role = z.enum(PROJECT_ROLES, { error: 'must be viewer, member or admin' });

/** The setup page: the owner's account, and — so nobody is "—" and the first project has a real name — their name and the project's. */
export const ownerSetupBody = setupBody.extend({ name: personName.optional(), projectName: projectName.optional() });
export type OwnerSetupBody = z.input<typeof ownerSetupBody>;

/** A slug made from a name: `Billing & Payments` → `billing-payments`. */
export function slugFrom(name: string): string {
  const s = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/g, '');
  return s === '' ? 'project' : s;
}

export const createProjectBody = z.object({ name: projectName, slug: slug.optional() });
export const renameProjectBody = z.object({ name: projectName });
/** Deleting a project: its name, typed again. */
export const deleteProjectBody = z.object({ confirm: z.string({ error: 'type the project name to confirm' }) });

export const createInviteBody = z.object({ role });
export const changeRoleBody = z.object({ role });

/** Accepting an invite with a new account. (Someone already signed in joins with an empty body.) */
export const acceptInviteBody = z.object({ name: personName.min(1, { error: 'is required' }), email, password: newPassword });

export type CreateProjectBody = z.infer<typeof createProjectBody>;
export type AcceptInviteBody = z.infer<typeof acceptInviteBody>;

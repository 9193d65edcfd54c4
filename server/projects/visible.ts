/** The projects a person sees (the rule of GET /api/projects): an owner every one, anyone else their own. */
import { effectiveRole, type ProjectRole } from '../../contract/api.ts';
import type { SessionUser } from '../auth/session.ts';
import type { AppStore } from '../store/types.ts';
import type { ProjectRow } from '../store/records.ts';

/** Every project for an installation owner (admin of each); otherwise the person's, with their role. */
export async function visibleProjects(store: AppStore, user: Pick<SessionUser, 'id' | 'role'>): Promise<{ row: ProjectRow; role: ProjectRole }[]> {
  if (user.role === 'owner') return (await store.projects.all()).map((row) => ({ row, role: effectiveRole(user, null)! }));
  return (await store.projects.forUser(user.id)).map(({ member_role, ...row }) => ({ row, role: effectiveRole(user, member_role)! }));
}

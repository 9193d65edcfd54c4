import { useProjectRole } from '../../projects/api.ts';

/** Whether this person may change events of the current project: members and admins (viewers read). */
export function useMayTriage(): boolean {
  const role = useProjectRole();
  return role === 'member' || role === 'admin';
}

/**
 * Where the app opens (CONTRACT §15): at `/`, the person's last-used project, or their only one —
 * never a "not a member" page for `default` when they were invited to another project only. The
 * last-used project is remembered on this device, per person.
 */
import { DEFAULT_PROJECT } from '../../../contract/api.ts';

const key = (userId: string) => `sb:last-project:${userId}`;
/** Who used the app here last (while signed in): the app asks for their feed before it knows. */
const LAST_USER = 'sb:last-user';

export function rememberProject(userId: string, slug: string): void {
  try {
    localStorage.setItem(key(userId), slug);
    localStorage.setItem(LAST_USER, userId);
  } catch {
    // Storage full or refused (private mode): the app still opens, in the first project.
  }
}

/** The person signed in here last, until they sign out (forgetLastUser). */
export function lastUser(): string | null {
  try {
    return localStorage.getItem(LAST_USER);
  } catch {
    return null;
  }
}

export function forgetLastUser(): void {
  try {
    localStorage.removeItem(LAST_USER);
  } catch {
    // Nothing kept, nothing to forget.
  }
}

export function lastProject(userId: string): string | null {
  try {
    return localStorage.getItem(key(userId));
  } catch {
    return null;
  }
}

/**
 * The project `/` should show, given the person's projects (in the server's order) and the one they
 * used last; null: `/` (the default project) is right as it is, or there is nowhere to go.
 */
export function landingProject(projects: readonly { slug: string }[], last: string | null): string | null {
  if (last !== null && last !== DEFAULT_PROJECT && projects.some((p) => p.slug === last)) return last;
  if (projects.some((p) => p.slug === DEFAULT_PROJECT)) return null;
  return projects[0]?.slug ?? null;
}

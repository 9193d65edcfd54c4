/**
 * The first-run checklist's state: the project's progress from the server, and what this device
 * remembers (folded, install skipped, and "completed" per person and project so the card never
 * flashes back while data loads).
 */
import { useQuery } from '@tanstack/react-query';
import type { ProjectProgress } from '../../../contract/api.ts';
import { api } from '../../lib/api.ts';
import { projectApi } from '../projects/current.ts';

/** Under the project's keys (`['projects', slug, …]`), so whatever clears a project's queries clears it too. */
export const progressKey = (slug: string) => ['projects', slug, 'progress'] as const;

const complete = (p: ProjectProgress | undefined) => p?.key && p.event && p.action && p.teammate;

/**
 * `poll` (an admin, whose steps these are): while the checklist is shown and the project's steps are
 * not all taken, ask again every 15 s (a new event, a press, an invite), and on focus.
 */
export function useProjectProgress(slug: string, poll: boolean) {
  return useQuery({
    queryKey: progressKey(slug),
    queryFn: () => api<ProjectProgress>(projectApi(slug, 'progress')),
    refetchInterval: (query) => (poll && !complete(query.state.data) ? 15_000 : false),
    refetchOnWindowFocus: true,
  });
}

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Storage full or blocked: the checklist still works, it just does not remember.
  }
}

const completedKey = (userId: string, slug: string) => `switchboard.firstRun.done.${userId}.${slug}`;
export const isCompleted = (userId: string, slug: string) => read(completedKey(userId, slug)) === '1';
export const markCompleted = (userId: string, slug: string) => write(completedKey(userId, slug), '1');

/** Folded or not on this device, per project; null until the person chooses. */
const foldedKey = (slug: string) => `switchboard.firstRun.folded.${slug}`;
export function storedFolded(slug: string): boolean | null {
  const v = read(foldedKey(slug));
  return v === null ? null : v === '1';
}
export const storeFolded = (slug: string, folded: boolean) => write(foldedKey(slug), folded ? '1' : '0');

/** "Skip" on the install step: this device is fine in the browser. */
const INSTALL_SKIPPED = 'switchboard.firstRun.installSkipped';
export const installSkipped = () => read(INSTALL_SKIPPED) === '1';
export const skipInstall = () => write(INSTALL_SKIPPED, '1');

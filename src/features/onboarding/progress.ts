/**
 * What this device remembers of the first-run checklist: folded, install skipped, its last count, and
 * "completed" per person and project so the card never flashes back while data loads.
 */

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

/**
 * The last count the checklist showed ("3 of 7"), for its folded line before the checklist loads:
 * kept as `3/7` (an older app kept the English "3 of 7": read too), said in the app's language.
 */
const summaryKey = (userId: string, slug: string) => `switchboard.firstRun.summary.${userId}.${slug}`;
export function storedSummary(userId: string, slug: string): { done: number; total: number } | null {
  const m = /^(\d+)\D+(\d+)$/.exec(read(summaryKey(userId, slug)) ?? '');
  return m ? { done: Number(m[1]), total: Number(m[2]) } : null;
}
export const storeSummary = (userId: string, slug: string, done: number, total: number) => write(summaryKey(userId, slug), `${done}/${total}`);

/** "Skip" on the install step: this device is fine in the browser. */
const INSTALL_SKIPPED = 'switchboard.firstRun.installSkipped';
export const installSkipped = () => read(INSTALL_SKIPPED) === '1';
export const skipInstall = () => write(INSTALL_SKIPPED, '1');

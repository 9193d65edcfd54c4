import { createStore } from '../../lib/store.ts';

/**
 * The last key made in this tab, so the first-run snippets can be pasted as they are. Memory only:
 * it is gone on reload (a secret is never written to storage), and on sign-out.
 */
export const keyMadeHere = createStore<{ name: string; key: string } | null>(null);

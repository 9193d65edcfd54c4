import { createStore } from '../../lib/store.ts';

/** Whether the `?` sheet (the list of keyboard shortcuts) is open. */
export const shortcutHelp = createStore(false);

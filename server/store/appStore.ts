/** Moved: the interface is `types.ts`, the SQLite engine's wrapper `sqlite/appStore.ts` (this file goes once its last users move). */
export type { AppStore, StoreRepositories } from './types.ts';
export { sqliteAppStore } from './sqlite/appStore.ts';

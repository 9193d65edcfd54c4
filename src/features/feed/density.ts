/** The feed's density: comfortable (default) or compact (one or two lines an event); remembered on this device. */
import { createStore, useStore } from '../../lib/store.ts';

export type Density = 'comfortable' | 'compact';
const KEY = 'switchboard.density';

const stored = (): Density => {
  try {
    return localStorage.getItem(KEY) === 'compact' ? 'compact' : 'comfortable';
  } catch {
    return 'comfortable';
  }
};

export const density = createStore<Density>(typeof localStorage === 'undefined' ? 'comfortable' : stored());

export function setDensity(next: Density): void {
  density.set(next);
  try {
    localStorage.setItem(KEY, next);
  } catch {
    // Private mode without storage: it holds for this visit.
  }
}

export const useCompact = (): boolean => useStore(density) === 'compact';

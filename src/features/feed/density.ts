/**
 * The feed's density: comfortable or compact, remembered on this device once chosen. Until a person
 * chooses, a wide screen (from 1024 px) is compact — the triage desk, one line per event beside the
 * open event — and a phone comfortable (cards with their content and full-size buttons).
 */
import { createStore, useStore } from '../../lib/store.ts';
import { useWide } from '../../lib/useMedia.ts';

export type Density = 'comfortable' | 'compact';
const KEY = 'switchboard.density';

const stored = (): Density | null => {
  try {
    const value = localStorage.getItem(KEY);
    return value === 'compact' || value === 'comfortable' ? value : null;
  } catch {
    return null;
  }
};

/** The person's choice on this device; null while they have not made one (the screen decides). */
export const density = createStore<Density | null>(typeof localStorage === 'undefined' ? null : stored());

export function setDensity(next: Density): void {
  density.set(next);
  try {
    localStorage.setItem(KEY, next);
  } catch {
    // Private mode without storage: it holds for this visit.
  }
}

/** The density in effect: the person's choice, else the screen's default. */
function useDensity(): Density {
  const chosen = useStore(density);
  const wide = useWide();
  return chosen ?? (wide ? 'compact' : 'comfortable');
}

export const useCompact = (): boolean => useDensity() === 'compact';

import { type RefObject, useEffect, useRef } from 'react';

/**
 * A button's ref (the one given, else its own) that takes focus when the button is drawn, if `focus`:
 * for a stand-in drawn in place of a pressed button while the code behind it loads (a new element,
 * which would otherwise leave focus on the page).
 */
export function useFocusOnMount(given: RefObject<HTMLButtonElement | null> | undefined, focus: boolean): RefObject<HTMLButtonElement | null> {
  const own = useRef<HTMLButtonElement>(null);
  const ref = given ?? own;
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, when drawn
  useEffect(() => {
    if (focus) ref.current?.focus();
  }, []);
  return ref;
}

import { type RefObject, useEffect, useRef } from 'react';

/**
 * A `<dialog>` shown modal while its component is mounted: focus goes to `first` (else the browser's
 * choice), and when it unmounts the dialog closes and focus goes back to whatever opened it (unless
 * `returnFocus` is false: the opener then places focus itself).
 */
export function useModalDialog(first?: RefObject<HTMLElement | null>, returnFocus = true): RefObject<HTMLDialogElement | null> {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement as HTMLElement | null;
    if (!dialog.open) dialog.showModal();
    first?.current?.focus();
    return () => {
      dialog.close();
      if (returnFocus) opener?.focus?.();
    };
  }, [first, returnFocus]);
  return ref;
}

import { useEffect, useState } from 'react';
import { serverNow } from '../../lib/clock.ts';
import { nextChangeIn, remainingMs } from './countdown.ts';

/** Milliseconds left until `expiresAt` by the server's clock; re-renders exactly when the text changes. */
export function useRemaining(expiresAt: string): number {
  const [remaining, setRemaining] = useState(() => remainingMs(expiresAt, serverNow()));
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    const tick = () => {
      const left = remainingMs(expiresAt, serverNow());
      setRemaining(left);
      const wait = nextChangeIn(left);
      if (Number.isFinite(wait)) timer = setTimeout(tick, Math.min(wait + 5, 2_147_000_000));
    };
    tick();
    return () => clearTimeout(timer);
  }, [expiresAt]);
  return remaining;
}

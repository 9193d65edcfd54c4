/**
 * A press's request on its action (waiting for approvals, sending in 30 s, how it ended), loaded with
 * the first action that has one: a feed without requests never downloads RequestStatus.tsx.
 */
import { type ComponentProps, Suspense } from 'react';
import { lazyRetry } from '../../lib/lazy.ts';

const Status = lazyRetry(() => import('./RequestStatus.tsx').then((m) => ({ default: m.RequestStatus })));
const Controls = lazyRetry(() => import('./RequestStatus.tsx').then((m) => ({ default: m.RequestControls })));

export function RequestStatus(props: ComponentProps<typeof Status>) {
  if (!props.action.request) return null;
  return (
    <Suspense fallback={null}>
      <Status {...props} />
    </Suspense>
  );
}

export function RequestControls(props: ComponentProps<typeof Controls>) {
  if (!props.action.request) return null;
  return (
    <Suspense fallback={null}>
      <Controls {...props} />
    </Suspense>
  );
}

/**
 * A press that waits (a delay, approvals) beside its action, loaded only where an action has one: most
 * of a feed's actions never do.
 */
import { type ComponentProps, Suspense } from 'react';
import { lazyRetry } from '../../lib/lazy.ts';

const Status = lazyRetry(() => import('./RequestStatus.tsx').then((m) => ({ default: m.RequestStatus })));
const Controls = lazyRetry(() => import('./RequestStatus.tsx').then((m) => ({ default: m.RequestControls })));

type StatusProps = ComponentProps<typeof import('./RequestStatus.tsx').RequestStatus>;
type ControlsProps = ComponentProps<typeof import('./RequestStatus.tsx').RequestControls>;

export function RequestStatus(props: StatusProps) {
  if (!props.action.request) return null;
  return (
    <Suspense fallback={null}>
      <Status {...props} />
    </Suspense>
  );
}

export function RequestControls(props: ControlsProps) {
  if (!props.action.request) return null;
  return (
    <Suspense fallback={null}>
      <Controls {...props} />
    </Suspense>
  );
}

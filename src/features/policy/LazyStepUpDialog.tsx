/** "Confirm it's you", loaded when first needed (a press, an approval, a passkey change ask for it). */
import { lazyRetry } from '../../lib/lazy.ts';

export const LazyStepUpDialog = lazyRetry(() => import('./StepUpDialog.tsx').then((m) => ({ default: m.StepUpDialog })));

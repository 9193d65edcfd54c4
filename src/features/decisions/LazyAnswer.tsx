/**
 * The answer's badge and line on a feed card, loaded with the first card that asks a question: a feed
 * without questions (most first screens) never downloads Answer.tsx.
 */
import { type ComponentProps, Suspense } from 'react';
import { asksQuestion } from '../../../contract/decisions.ts';
import { lazyRetry } from '../../lib/lazy.ts';

const Badge = lazyRetry(() => import('./Answer.tsx').then((m) => ({ default: m.AnswerBadge })));
const Line = lazyRetry(() => import('./Answer.tsx').then((m) => ({ default: m.AnswerLine })));

export function AnswerBadge(props: ComponentProps<typeof Badge>) {
  if (!asksQuestion(props.event)) return null;
  return (
    <Suspense fallback={null}>
      <Badge {...props} />
    </Suspense>
  );
}

export function AnswerLine(props: ComponentProps<typeof Line>) {
  if (!props.event.decision?.input || !asksQuestion(props.event)) return null;
  return (
    <Suspense fallback={null}>
      <Line {...props} />
    </Suspense>
  );
}

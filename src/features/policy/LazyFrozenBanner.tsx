/** The frozen banner, loaded only while presses are frozen (the policy itself is watched from the first screen). */
import { Suspense } from 'react';
import { lazyRetry } from '../../lib/lazy.ts';
import { usePolicy } from './api.ts';

const Banner = lazyRetry(() => import('./FrozenBanner.tsx').then((m) => ({ default: m.FrozenBanner })));

export function FrozenBanner({ slug }: { slug: string }) {
  if (!usePolicy(slug, { watch: true }).data?.freeze) return null;
  return (
    <Suspense fallback={null}>
      <Banner slug={slug} />
    </Suspense>
  );
}

import { absoluteTime, relativeTime } from '../../lib/time.ts';
import { useNow } from '../../lib/useNow.ts';

/** `<time>` with relative text that ticks, and the absolute time on hover and focus. */
export function RelativeTime({ iso }: { iso: string }) {
  const now = useNow();
  const at = Date.parse(iso);
  const absolute = absoluteTime(at);
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: focus shows the absolute time to keyboard users
    <time dateTime={iso} title={absolute} tabIndex={0} className="group relative shrink-0 whitespace-nowrap text-xs text-slate-500 dark:text-slate-400">
      {relativeTime(at, now)}
      <span className="sr-only"> ({absolute})</span>
      <span aria-hidden="true" className="pointer-events-none absolute right-0 top-full z-10 mt-1 hidden rounded bg-slate-900 px-2 py-1 text-xs text-white group-focus:block dark:bg-slate-100 dark:text-slate-900">
        {absolute}
      </span>
    </time>
  );
}

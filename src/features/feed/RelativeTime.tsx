import { absoluteTime, relativeTime } from '../../lib/time.ts';
import { useNow } from '../../lib/useNow.ts';

/**
 * `<time>` with relative text that ticks, and the absolute time on hover and for screen readers. It is
 * not a tab stop of its own: the absolute time shows while focus is in the header around it (a
 * `group/when` element: the event's title link, its card's one stop before the actions).
 */
export function RelativeTime({ iso, showAbsolute = false }: { iso: string; showAbsolute?: boolean }) {
  const now = useNow();
  const at = Date.parse(iso);
  const absolute = absoluteTime(at);
  if (showAbsolute) {
    return (
      <time dateTime={iso} className="text-xs text-slate-600 dark:text-slate-400">
        {absolute} <span className="whitespace-nowrap">({relativeTime(at, now)})</span>
      </time>
    );
  }
  return (
    <time dateTime={iso} title={absolute} className="relative shrink-0 whitespace-nowrap text-xs text-slate-600 dark:text-slate-400">
      {relativeTime(at, now)}
      <span className="sr-only"> ({absolute})</span>
      <span aria-hidden="true" className="pointer-events-none absolute end-0 top-full z-10 mt-1 hidden rounded bg-slate-900 px-2 py-1 text-xs text-white group-focus-within/when:block dark:bg-slate-100 dark:text-slate-900">
        {absolute}
      </span>
    </time>
  );
}

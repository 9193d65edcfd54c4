import { highlight, searchWords } from '../../lib/highlight.ts';
import { useLocation } from '../../lib/router.tsx';

/** Text with the words of the current search (`?q=`) marked. */
export function Highlighted({ text }: { text: string }) {
  const words = searchWords(useLocation().search.get('q'));
  if (words.length === 0) return <>{text}</>;
  return (
    <>
      {highlight(text, words).map((p, i) =>
        p.match ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: pieces of one immutable string
          <mark key={i} className="rounded-sm bg-amber-200 px-0.5 text-slate-900 dark:bg-amber-300 dark:text-slate-950">
            {p.text}
          </mark>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: pieces of one immutable string
          <span key={i}>{p.text}</span>
        ),
      )}
    </>
  );
}

import { linkify } from '../../../lib/linkify.ts';
import { Highlighted } from '../Highlighted.tsx';
import { SafeLink } from './SafeLink.tsx';

/** Text with its line breaks kept, http(s) URLs made into safe links, and the search's words marked. */
export function TextContent({ text }: { text: string }) {
  return (
    <p dir="auto" className="whitespace-pre-wrap break-words text-sm leading-relaxed text-slate-700 dark:text-slate-300">
      {linkify(text).map((part, i) =>
        part.kind === 'link' ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts of one immutable string
          <SafeLink key={i} href={part.href} text={part.text} />
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts of one immutable string
          <span key={i}>
            <Highlighted text={part.text} />
          </span>
        ),
      )}
    </p>
  );
}

import { useId, useState } from 'react';
import { CopyButton } from '../../../components/CopyButton.tsx';
import { t } from '../../../i18n/i18n.ts';

const COLLAPSED_LINES = 10;

/** Pretty JSON, collapsed past ten lines, long lines wrapped, with a copy button. */
export function JsonContent({ value, expanded: startExpanded = false }: { value: unknown; expanded?: boolean }) {
  const text = JSON.stringify(value, null, 2) ?? 'null';
  const lines = text.split('\n').length;
  const collapsible = lines > COLLAPSED_LINES;
  const [expanded, setExpanded] = useState(startExpanded);
  const id = useId();
  const shown = collapsible && !expanded ? text.split('\n').slice(0, COLLAPSED_LINES).join('\n') : text;
  return (
    <div className="relative rounded-lg bg-slate-100 dark:bg-slate-950/60">
      {/* Long lines wrap rather than scroll: a box that scrolls would be one more tab stop per event. */}
      <pre id={id} dir="ltr" className="whitespace-pre-wrap p-3 pr-20 font-mono text-xs leading-5 text-slate-800 [overflow-wrap:anywhere] dark:text-slate-200">
        {shown}
        {collapsible && !expanded && <span className="text-slate-600 dark:text-slate-400">{'\n'}…</span>}
      </pre>
      {/* The JSON reads left to right in every language: its copy button stays on its right. */}
      <div className="absolute right-1 top-1 flex items-center">
        <CopyButton text={text} what="JSON" />
      </div>
      {collapsible && (
        <button
          type="button"
          aria-expanded={expanded}
          aria-controls={id}
          onClick={() => setExpanded((e) => !e)}
          className="min-h-11 w-full rounded-b-lg border-t border-slate-200 text-xs font-medium text-slate-700 hover:bg-slate-200 dark:border-slate-800 dark:text-slate-200 dark:hover:bg-slate-800"
        >
          {expanded ? t('feed.json.less') : t('feed.json.all', { count: lines, lines: String(lines) })}
        </button>
      )}
    </div>
  );
}

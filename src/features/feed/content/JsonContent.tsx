import { useId, useState } from 'react';

const COLLAPSED_LINES = 10;

/** Pretty JSON, collapsed past ten lines, with a copy button. */
export function JsonContent({ value, expanded: startExpanded = false }: { value: unknown; expanded?: boolean }) {
  const text = JSON.stringify(value, null, 2) ?? 'null';
  const lines = text.split('\n').length;
  const collapsible = lines > COLLAPSED_LINES;
  const [expanded, setExpanded] = useState(startExpanded);
  const [copied, setCopied] = useState<'idle' | 'done' | 'failed'>('idle');
  const id = useId();
  const copy = () => {
    navigator.clipboard.writeText(text).then(
      () => setCopied('done'),
      () => setCopied('failed'),
    );
    setTimeout(() => setCopied('idle'), 2000);
  };
  const shown = collapsible && !expanded ? text.split('\n').slice(0, COLLAPSED_LINES).join('\n') : text;
  return (
    <div className="relative rounded-lg bg-slate-100 dark:bg-slate-950/60">
      <pre id={id} className="overflow-x-auto p-3 pr-20 font-mono text-xs leading-5 text-slate-800 dark:text-slate-200">
        {shown}
        {collapsible && !expanded && <span className="text-slate-400">{'\n'}…</span>}
      </pre>
      <div className="absolute right-1 top-1 flex items-center">
        <button type="button" onClick={copy} className="min-h-11 min-w-11 rounded-md px-2 text-xs font-medium text-slate-600 hover:bg-slate-200 dark:text-slate-300 dark:hover:bg-slate-800">
          {copied === 'done' ? 'Copied' : copied === 'failed' ? 'Copy failed' : 'Copy'}
          <span className="sr-only"> JSON</span>
        </button>
        <span aria-live="polite" className="sr-only">
          {copied === 'done' ? 'JSON copied' : ''}
        </span>
      </div>
      {collapsible && (
        <button
          type="button"
          aria-expanded={expanded}
          aria-controls={id}
          onClick={() => setExpanded((e) => !e)}
          className="min-h-11 w-full rounded-b-lg border-t border-slate-200 text-xs font-medium text-slate-600 hover:bg-slate-200 dark:border-slate-800 dark:text-slate-300 dark:hover:bg-slate-800"
        >
          {expanded ? 'Show less' : `Show all ${lines} lines`}
        </button>
      )}
    </div>
  );
}

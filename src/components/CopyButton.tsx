import { useState } from 'react';

/** "Copy" for a block of text: says Copied (or Copy failed) for two seconds, and tells screen readers. */
export function CopyButton({ text, what, label = 'Copy', className = '' }: { text: string; what: string; label?: string; className?: string }) {
  const [copied, setCopied] = useState<'idle' | 'done' | 'failed'>('idle');
  const copy = () => {
    navigator.clipboard.writeText(text).then(
      () => setCopied('done'),
      () => setCopied('failed'),
    );
    setTimeout(() => setCopied('idle'), 2000);
  };
  return (
    <>
      <button
        type="button"
        onClick={copy}
        className={`min-h-11 min-w-11 rounded-md px-2 text-xs font-medium text-slate-700 hover:bg-slate-200 dark:text-slate-200 dark:hover:bg-slate-800 ${className}`}
      >
        {copied === 'done' ? 'Copied' : copied === 'failed' ? 'Copy failed' : label}
        {label === 'Copy' && <span className="sr-only"> {what}</span>}
      </button>
      <span aria-live="polite" className="sr-only">
        {copied === 'done' ? `${what} copied` : ''}
      </span>
    </>
  );
}

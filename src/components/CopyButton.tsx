import { useState } from 'react';
import { t } from '../i18n/i18n.ts';

/**
 * "Copy" for a block of text: says Copied (or Copy failed) for two seconds, and tells screen readers.
 * Without `label` it reads "Copy", named with `what` for screen readers.
 */
export function CopyButton({ text, what, label, className = '' }: { text: string; what: string; label?: string; className?: string }) {
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
        {copied === 'done' ? t('core.copy.copied') : copied === 'failed' ? t('core.copy.failed') : (label ?? t('core.copy.copy'))}
        {label === undefined && <span className="sr-only"> {what}</span>}
      </button>
      <span aria-live="polite" className="sr-only">
        {copied === 'done' ? t('core.copy.announce', { what }) : ''}
      </span>
    </>
  );
}

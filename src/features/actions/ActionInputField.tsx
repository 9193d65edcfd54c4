/**
 * The text an action asks for in its confirm step (`input` on the action, §11): a field named by the
 * sender's label, `Required` when it is, a count against the action's limit, and the server's refusal
 * of the text beside it. Enter starts a new line; Ctrl+Enter (⌘+Enter) confirms.
 */
import { type Ref, useId } from 'react';
import type { ActionInputSpec } from '../../../contract/decisions.ts';
import { t } from '../../i18n/i18n.ts';
import { formatNumber } from '../../lib/words.ts';

export function ActionInputField({
  spec,
  value,
  error,
  disabled,
  ref,
  onChange,
  onSubmit,
}: {
  spec: ActionInputSpec;
  value: string;
  /** The server's refusal of the text, in a sentence. */
  error: string | null;
  disabled: boolean;
  ref?: Ref<HTMLTextAreaElement>;
  onChange: (value: string) => void;
  /** Ctrl+Enter or ⌘+Enter: confirm, when it may be. */
  onSubmit: () => void;
}) {
  const id = useId();
  const near = value.length >= spec.maxLength * 0.9;
  return (
    <div className="flex flex-col gap-1">
      <div className="flex items-baseline justify-between gap-2">
        <label htmlFor={id} className="text-sm font-medium text-slate-900 dark:text-white">
          {spec.label}
        </label>
        {spec.required && (
          <span aria-hidden="true" className="text-xs text-slate-600 dark:text-slate-300">
            {t('core.input.required')}
          </span>
        )}
      </div>
      <textarea
        ref={ref}
        id={id}
        value={value}
        required={spec.required}
        maxLength={spec.maxLength}
        rows={3}
        disabled={disabled}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-count${error ? ` ${id}-error` : ''}`}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            onSubmit();
          }
        }}
        className="min-h-20 w-full resize-y rounded-lg border border-slate-400 bg-white px-3 py-2 text-base text-slate-900 disabled:opacity-70 aria-invalid:border-red-700 dark:border-slate-500 dark:bg-slate-950 dark:text-white dark:aria-invalid:border-red-400"
      />
      <p className="flex justify-between gap-2 text-xs">
        <span id={`${id}-error`} role="alert" className="text-red-800 dark:text-red-300">
          {error}
        </span>
        <span id={`${id}-count`} className={`shrink-0 tabular-nums ${near ? 'font-medium text-amber-900 dark:text-amber-200' : 'text-slate-600 dark:text-slate-300'}`}>
          <span aria-hidden="true">
            {formatNumber(value.length)} / {formatNumber(spec.maxLength)}
          </span>
          <span className="sr-only">{t('core.input.count', { count: formatNumber(value.length), max: formatNumber(spec.maxLength) })}</span>
        </span>
      </p>
    </div>
  );
}

/** The few shared building blocks of the UI. */
import type { ButtonHTMLAttributes, InputHTMLAttributes, ReactNode, Ref } from 'react';
import { useId } from 'react';

export type Tone = 'primary' | 'neutral' | 'quiet' | 'danger' | 'dangerQuiet' | 'settled';

const TONES: Record<Tone, string> = {
  primary: 'bg-sky-700 text-white hover:bg-sky-800 dark:bg-sky-400 dark:text-slate-950 dark:hover:bg-sky-300',
  neutral:
    'bg-white text-slate-800 ring-1 ring-slate-300 hover:bg-slate-100 dark:bg-slate-900 dark:text-slate-100 dark:ring-slate-700 dark:hover:bg-slate-800',
  /** Still pressable, not inviting a press (a resolved event's remaining actions): no fill, muted text (≥ 4.5:1). */
  quiet:
    'bg-transparent text-slate-600 ring-1 ring-slate-200 hover:bg-slate-100 hover:text-slate-800 dark:text-slate-400 dark:ring-slate-700 dark:hover:bg-slate-800 dark:hover:text-slate-200',
  danger: 'bg-red-700 text-white hover:bg-red-800 dark:bg-red-400 dark:hover:bg-red-300 dark:text-slate-950',
  /** A button that can no longer do anything (done, expired, running): flat, dashed, still legible (≥ 4.5:1). */
  settled: 'border border-dashed border-slate-400 bg-slate-100 text-slate-700 dark:border-slate-500 dark:bg-transparent dark:text-slate-300',
  /** A destructive step that still asks before it acts (revoke, rotate): red text, quiet surface. */
  dangerQuiet:
    'bg-white text-red-700 ring-1 ring-red-200 hover:bg-red-50 dark:bg-slate-900 dark:text-red-400 dark:ring-red-900 dark:hover:bg-red-950',
};

export function Button({
  tone = 'neutral',
  className = '',
  ref,
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & { tone?: Tone; ref?: Ref<HTMLButtonElement> }) {
  return (
    <button
      ref={ref}
      type="button"
      className={`inline-flex min-h-11 items-center justify-center gap-2 rounded-lg px-4 text-sm font-medium transition-colors disabled:cursor-not-allowed ${TONES[tone]} ${className}`}
      {...rest}
    />
  );
}

export function TextField({
  label,
  error,
  hint,
  ref,
  ...rest
}: InputHTMLAttributes<HTMLInputElement> & { label: string; error?: string | null; hint?: string; ref?: Ref<HTMLInputElement> }) {
  const id = useId();
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      <input
        ref={ref}
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={error || hint ? `${id}-note` : undefined}
        className="min-h-11 rounded-lg border border-slate-300 bg-white px-3 text-base dark:border-slate-700 dark:bg-slate-900"
        {...rest}
      />
      {(error || hint) && (
        <p id={`${id}-note`} className={`text-sm ${error ? 'text-red-700 dark:text-red-400' : 'text-slate-500 dark:text-slate-400'}`}>
          {error || hint}
        </p>
      )}
    </div>
  );
}

export function Alert({ children }: { children: ReactNode }) {
  return (
    <div role="alert" className="rounded-lg border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200">
      {children}
    </div>
  );
}

export function Card({ children, className = '' }: { children: ReactNode; className?: string }) {
  return (
    <div className={`rounded-xl border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900 ${className}`}>{children}</div>
  );
}

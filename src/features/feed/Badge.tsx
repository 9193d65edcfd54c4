/** A small label beside an event's name: its category (neutral) or that it is a test event (amber). */
export function Badge({ children, tone = 'neutral', className = '' }: { children: React.ReactNode; tone?: 'neutral' | 'test'; className?: string }) {
  const tones = {
    neutral: 'bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300',
    test: 'bg-amber-100 text-amber-800 dark:bg-amber-900/60 dark:text-amber-200',
  };
  // Always a flex item of its row: block inside, so a long category can end in … (`truncate`).
  return <span className={`rounded-md px-1.5 py-0.5 text-xs font-medium ${tones[tone]} ${className}`}>{children}</span>;
}

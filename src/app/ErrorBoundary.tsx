import { Component, type ErrorInfo, type ReactNode } from 'react';
import { t } from '../i18n/i18n.ts';

export class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error('Switchboard crashed while rendering', error, info.componentStack);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <main role="alert" className="mx-auto flex max-w-md flex-col gap-3 px-4 py-16">
        <h1 className="text-xl font-semibold">{t('core.crash.title')}</h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">{this.state.error.message}</p>
        <button type="button" onClick={() => location.reload()} className="min-h-11 w-fit rounded-lg bg-sky-600 px-4 text-sm font-medium text-white">
          {t('core.reload')}
        </button>
      </main>
    );
  }
}

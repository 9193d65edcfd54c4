import './index.css';
import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { ErrorBoundary } from './app/ErrorBoundary.tsx';
import { startPwa } from './app/pwa.ts';
import { makeQueryClient } from './app/queryClient.ts';
import { sendFirstRequests } from './app/firstRequests.ts';
import { watchPendingSignOut } from './features/auth/session.ts';
import { listenForInstallPrompt } from './features/install/installPrompt.ts';
import { watchConnectivity } from './lib/offline.ts';
import { retrying } from './lib/lazy.ts';
import { activate, currentLocale, startingLocale } from './i18n/i18n.ts';
import { PUSH_LOCALE_KEY } from './i18n/locale.ts';
import { LocaleRoot } from './i18n/LocaleRoot.tsx';

const queryClient = makeQueryClient();
watchConnectivity();
watchPendingSignOut();
listenForInstallPrompt();

/** The texts first (one small chunk, in the language this device last showed): the first paint is in it. */
async function start(): Promise<void> {
  sendFirstRequests(queryClient);
  const starting = startingLocale();
  await retrying(() => activate(starting)).catch(() => (starting === 'en' ? undefined : activate('en').catch(() => undefined)));
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <ErrorBoundary>
        <QueryClientProvider client={queryClient}>
          <LocaleRoot>
            <App />
          </LocaleRoot>
        </QueryClientProvider>
      </ErrorBoundary>
    </StrictMode>,
  );
  // This device's pushes follow the app's language (a change of the browser's, or on another device).
  if (localStorage.getItem(PUSH_LOCALE_KEY) !== null && localStorage.getItem(PUSH_LOCALE_KEY) !== currentLocale()) {
    void import('./features/push/api.ts').then((m) => m.syncPushLanguage()).catch(() => undefined);
  }
}

void start();

startPwa();

import './index.css';
import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { ErrorBoundary } from './app/ErrorBoundary.tsx';
import { startPwa } from './app/pwa.ts';
import { makeQueryClient } from './app/queryClient.ts';
import { watchPendingSignOut } from './features/auth/session.ts';
import { listenForInstallPrompt } from './features/install/installPrompt.ts';
import { watchConnectivity } from './lib/offline.ts';

const queryClient = makeQueryClient();
watchConnectivity();
watchPendingSignOut();
listenForInstallPrompt();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ErrorBoundary>
      <QueryClientProvider client={queryClient}>
        <App />
      </QueryClientProvider>
    </ErrorBoundary>
  </StrictMode>,
);

startPwa();

import { initialLang, LanguageProvider, type Lang } from '@citycred/web-ui';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, LANGUAGE_KEY } from './App.js';
import './wallet.css';

/** The language the wallet opens in: `?lang=en` if asked, else the one last chosen on this device, else Korean. */
function startLanguage(): Lang {
  if (new URLSearchParams(location.search).has('lang')) return initialLang();
  try {
    return localStorage.getItem(LANGUAGE_KEY) === 'en' ? 'en' : 'ko';
  } catch {
    return 'ko';
  }
}

/**
 * The service worker (`/sw.js`, served by the wallet server) keeps the app's files so that it opens without network;
 * the credentials are in IndexedDB and need none. A browser without service workers runs the wallet online only.
 */
function keepAppOffline(): void {
  if (!navigator.serviceWorker) return;
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((error: unknown) => {
    console.info('The wallet will not open offline: its service worker could not be registered.', error);
  });
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <LanguageProvider initial={startLanguage()}>
      <App />
    </LanguageProvider>
  </StrictMode>,
);
keepAppOffline();

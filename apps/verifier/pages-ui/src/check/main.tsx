import { LanguageProvider } from '@citycred/web-ui';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { CheckPage } from './CheckPage.js';
import './check.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <LanguageProvider>
      <CheckPage />
    </LanguageProvider>
  </StrictMode>,
);

import { LanguageProvider } from '@citycred/web-ui';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApplyPage } from './ApplyPage.js';
import './apply.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <LanguageProvider>
      <ApplyPage />
    </LanguageProvider>
  </StrictMode>,
);

import { LanguageProvider } from '@citycred/web-ui';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ScanPage } from './ScanPage.js';
import './scan.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <LanguageProvider>
      <ScanPage />
    </LanguageProvider>
  </StrictMode>,
);

import { LanguageProvider } from '@citycred/web-ui';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { DemoCitizensPage } from './DemoCitizensPage.js';
import './demo.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <LanguageProvider>
      <DemoCitizensPage />
    </LanguageProvider>
  </StrictMode>,
);

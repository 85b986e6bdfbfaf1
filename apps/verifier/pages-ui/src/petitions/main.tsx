import { LanguageProvider } from '@citycred/web-ui';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { PetitionPage } from './PetitionPage.js';
import '../check/check.css';
import './petitions.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <LanguageProvider>
      <PetitionPage />
    </LanguageProvider>
  </StrictMode>,
);

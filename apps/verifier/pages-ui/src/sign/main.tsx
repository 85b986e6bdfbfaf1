import { LanguageProvider } from '@citycred/web-ui';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { SignPage } from './SignPage.js';
import '../check/check.css';
import './sign.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <LanguageProvider>
      <SignPage />
    </LanguageProvider>
  </StrictMode>,
);

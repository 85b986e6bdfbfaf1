import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nProvider } from '../i18n.js';
import '../styles.css';
import './employer.css';
import { EmployerApp } from './EmployerApp.js';
import { EMPLOYER_TITLE } from './texts.js';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider title={EMPLOYER_TITLE}>
      <EmployerApp />
    </I18nProvider>
  </StrictMode>,
);

import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { MinimumWageTable } from '@citycred/labor';
import { ApiError, api, type Session } from '../api.js';
import { useI18n } from '../i18n.js';
import { SignIn } from '../screens/SignIn.js';
import { ErrorBanner, isSignedOut, Loading, ScreenBoundary, SessionContext, useLoad, type SessionState } from '../ui.js';
import { laborApi, wageTable, type LaborSettings } from './api.js';
import { hashOf, useRoute, type Route } from './routes.js';
import { ContractDetail } from './screens/ContractDetail.js';
import { ContractForm } from './screens/ContractForm.js';
import { ContractList } from './screens/ContractList.js';
import { WorkplaceQrPage } from './screens/WorkplaceQrPage.js';
import { useEmployerTexts } from './texts.js';

/** The employer's labour settings and its minimum wage table, loaded once after sign-in. */
export interface Labor {
  settings: LaborSettings;
  table: MinimumWageTable;
  go(route: Route): void;
}

const LaborContext = createContext<Labor | null>(null);

/** The employer's labour settings (only below the signed-in employer shell). */
export function useLabor(): Labor {
  const value = useContext(LaborContext);
  if (!value) throw new Error('useLabor outside the employer shell');
  return value;
}

function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <button type="button" className="button secondary small" lang={lang === 'ko' ? 'en' : 'ko'} aria-label={t.switchToLabel} onClick={() => setLang(lang === 'ko' ? 'en' : 'ko')}>
      {t.switchTo}
    </button>
  );
}

/** Whether the settings' refusal means the signed-in tenant is no employer (or the operator may not act for it). */
function notEmployer(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 403 || error.status === 404);
}

/** The signed-in employer: its settings, then the screen the fragment names. */
function EmployerScreens({ route, go }: { route: Route; go(route: Route): void }) {
  const { e } = useEmployerTexts();
  const { t } = useI18n();
  const settings = useLoad(() => laborApi.settings(), []);
  const labor = useMemo<Labor | null>(() => (settings.data ? { settings: settings.data, table: wageTable(settings.data), go } : null), [settings.data, go]);
  if (settings.loading && !settings.data) return <Loading />;
  if (settings.error) {
    return notEmployer(settings.error) ? (
      <div className="banner error" role="alert">
        <span>{e.notEmployer}</span>
      </div>
    ) : (
      <ErrorBanner error={settings.error} onRetry={settings.reload} />
    );
  }
  if (!labor) return null;
  const key = hashOf(route);
  return (
    <LaborContext.Provider value={labor}>
      <ScreenBoundary message={t.errors['unknown']!} retry={t.retry} resetKey={key}>
        {route.name === 'list' ? <ContractList /> : null}
        {route.name === 'new' ? <ContractForm key="new" /> : null}
        {route.name === 'revise' ? <ContractForm key={`revise-${route.id}`} reviseId={route.id} /> : null}
        {route.name === 'contract' ? <ContractDetail key={route.id} id={route.id} /> : null}
        {route.name === 'workplace' ? <WorkplaceQrPage /> : null}
      </ScreenBoundary>
    </LaborContext.Provider>
  );
}

/**
 * The employer console: the console's sign-in until there is a session, then the menu (contracts, a new contract,
 * the workplace tablet's QR) and the screen the URL's fragment names. The tablet page fills the screen: no menu.
 */
export function EmployerApp() {
  const { t } = useI18n();
  const { e } = useEmployerTexts();
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [startError, setStartError] = useState<unknown>();
  const [notice, setNotice] = useState<string | undefined>();
  const [route, go] = useRoute();
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  const loadSession = useCallback(() => {
    setStartError(undefined);
    api.me().then(setSession, (error: unknown) => (isSignedOut(error) ? setSession(null) : setStartError(error)));
  }, []);
  useEffect(loadSession, [loadSession]);

  // Moving between screens moves focus to the new screen's content, as a page load would.
  const routeKey = hashOf(route);
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    mainRef.current?.focus();
  }, [routeKey]);

  const state = useMemo<SessionState | null>(
    () =>
      session
        ? {
            session,
            signedOut: () => {
              setNotice(t.errors['console.signed-out']);
              setSession(null);
            },
          }
        : null,
    [session, t],
  );

  const signOut = async () => {
    await api.signOut().catch(() => undefined);
    setNotice(undefined);
    setSession(null);
  };

  const tablet = route.name === 'workplace' && session;
  const navItems: Array<{ route: Route; label: string }> = [
    { route: { name: 'list' }, label: e.nav.list },
    ...(session?.operator.role === 'auditor' ? [] : [{ route: { name: 'new' } as Route, label: e.nav.new }]),
    ...(session?.operator.role === 'auditor' ? [] : [{ route: { name: 'workplace' } as Route, label: e.nav.workplace }]),
  ];
  const current = route.name === 'contract' || route.name === 'revise' ? 'list' : route.name;

  return (
    <>
      <a className="skip-link" href="#main" onClick={(event) => (event.preventDefault(), mainRef.current?.focus())}>
        {t.skipToContent}
      </a>
      {tablet ? null : (
        <header className="app-header">
          <div className="brand">{e.appName}</div>
          <div className="header-tools">
            {session ? <span className="who">{t.signedInAs(session.operator.displayName || session.operator.username, t.roles[session.operator.role] ?? session.operator.role, session.tenant.name)}</span> : null}
            <LanguageSwitch />
            {session ? (
              <button type="button" className="button secondary small" onClick={signOut}>
                {t.signOut}
              </button>
            ) : null}
          </div>
        </header>
      )}
      {session && !tablet ? (
        <nav className="app-nav" aria-label={e.nav.label}>
          <ul>
            {navItems.map((item) => (
              <li key={item.route.name}>
                <a href={hashOf(item.route)} aria-current={item.route.name === current ? 'page' : undefined}>
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      <main id="main" tabIndex={-1} ref={mainRef} className={tablet ? 'tablet' : undefined}>
        {session === undefined ? startError ? <ErrorBanner error={startError} onRetry={loadSession} /> : <Loading /> : null}
        {session === null ? (
          <SignIn
            notice={notice}
            onSignedIn={(signedIn) => {
              setNotice(undefined);
              setSession(signedIn);
            }}
          />
        ) : null}
        {session && state ? (
          <SessionContext.Provider value={state}>
            <EmployerScreens route={route} go={go} />
          </SessionContext.Provider>
        ) : null}
      </main>
    </>
  );
}

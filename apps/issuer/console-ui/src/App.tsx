import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api, type Session } from './api.js';
import { useI18n } from './i18n.js';
import { mayLeave, pathOf, useScreen, type Screen } from './router.js';
import { Anchoring } from './screens/Anchoring.js';
import { Audit } from './screens/Audit.js';
import { BulkOffers } from './screens/BulkOffers.js';
import { Credentials } from './screens/Credentials.js';
import { Issue } from './screens/Issue.js';
import { Operators } from './screens/Operators.js';
import { SignIn } from './screens/SignIn.js';
import { Tenants } from './screens/Tenants.js';
import { ErrorBanner, isSignedOut, Loading, ScreenBoundary, SessionContext, type SessionState } from './ui.js';

function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <button type="button" className="button secondary small" lang={lang === 'ko' ? 'en' : 'ko'} aria-label={t.switchToLabel} onClick={() => setLang(lang === 'ko' ? 'en' : 'ko')}>
      {t.switchTo}
    </button>
  );
}

/**
 * The screens an operator sees in the menu (auditors read only; operators are the administrators'; tenants the city's
 * administrators').
 */
function screensFor(session: Session): Screen[] {
  const { role } = session.operator;
  if (role === 'auditor') return ['credentials', 'anchoring', 'audit'];
  if (role === 'admin') return ['issue', 'bulk', 'credentials', 'anchoring', 'audit', 'operators', ...(session.cityAdmin === true ? (['tenants'] as const) : [])];
  return ['issue', 'bulk', 'credentials', 'anchoring', 'audit'];
}

/** The console: sign-in until there is a session, then the menu and the chosen screen. */
export function App() {
  const { t } = useI18n();
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [startError, setStartError] = useState<unknown>();
  const [notice, setNotice] = useState<string | undefined>();
  const [screen, go] = useScreen();
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  const loadSession = useCallback(() => {
    setStartError(undefined);
    api.me().then(setSession, (error: unknown) => (isSignedOut(error) ? setSession(null) : setStartError(error)));
  }, []);
  useEffect(loadSession, [loadSession]);

  // Moving between screens moves focus to the new screen's content, as a page load would.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    mainRef.current?.focus();
  }, [screen]);

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
    if (!mayLeave()) return;
    await api.signOut().catch(() => undefined);
    setNotice(undefined);
    setSession(null);
  };

  const allowed = session ? screensFor(session) : [];
  const current: Screen = allowed.includes(screen) ? screen : (allowed[0] ?? 'issue');

  return (
    <>
      <a className="skip-link" href="#main">
        {t.skipToContent}
      </a>
      <header className="app-header">
        <div className="brand">{t.appName}</div>
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
      {session ? (
        <nav className="app-nav" aria-label={t.mainNav}>
          <ul>
            {allowed.map((s) => (
              <li key={s}>
                <a
                  href={pathOf(s)}
                  aria-current={s === current ? 'page' : undefined}
                  onClick={(e) => {
                    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
                    e.preventDefault();
                    go(s);
                  }}
                >
                  {t.nav[s]}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      <main id="main" tabIndex={-1} ref={mainRef}>
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
            <ScreenBoundary message={t.errors['unknown']!} retry={t.retry} resetKey={current}>
              {current === 'issue' ? <Issue /> : null}
              {current === 'bulk' ? <BulkOffers /> : null}
              {current === 'credentials' ? <Credentials /> : null}
              {current === 'anchoring' ? <Anchoring /> : null}
              {current === 'audit' ? <Audit /> : null}
              {current === 'operators' ? <Operators /> : null}
              {current === 'tenants' ? <Tenants /> : null}
            </ScreenBoundary>
          </SessionContext.Provider>
        ) : null}
      </main>
    </>
  );
}

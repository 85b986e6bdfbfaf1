import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { api, type Session } from './api.js';
import { useI18n } from './i18n.js';
import { SignIn } from './screens/SignIn.js';
import { ErrorBanner, isSignedOut, Loading, SessionContext, type SessionState } from './ui.js';

function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <button type="button" className="button secondary small" lang={lang === 'ko' ? 'en' : 'ko'} aria-label={t.switchToLabel} onClick={() => setLang(lang === 'ko' ? 'en' : 'ko')}>
      {t.switchTo}
    </button>
  );
}

/** One entry of a console shell's menu. */
export interface ShellNavItem {
  key: string;
  href: string;
  label: string;
  current: boolean;
  /** Follows the link in the page (History API); left out, the link is followed as any link (hash routes). */
  onFollow?(): void;
}

/** What differs between the console's shells (the operator console, the employer console). */
export interface ConsoleShellProps {
  /** The name in the header. */
  brand: string;
  /** The menu's accessible name. */
  navLabel: string;
  /** A key of the shown screen: when it changes, focus moves to the new screen's content. */
  focusKey: string;
  /** The menu for the signed-in operator. */
  nav(session: Session): ShellNavItem[];
  /** The screen for the signed-in operator (inside the session's context). */
  children(session: Session): ReactNode;
  /** Whether a signed-in operator's screen fills the page, with no header nor menu (the workplace tablet). */
  chromeless?: boolean;
  /** Asked before signing out; false keeps the operator on the screen (something would be lost). */
  mayLeave?(): boolean;
  /** Whether the skip link moves focus itself rather than following `#main` (where the fragment is the route). */
  skipLinkFocuses?: boolean;
}

/**
 * A console's shell: loads the session, shows the sign-in until there is one, then the header (who is signed in,
 * the language switch, sign-out), the menu and the screen, which gets the session through {@link SessionContext}.
 */
export function ConsoleShell({ brand, navLabel, focusKey, nav, children, chromeless = false, mayLeave, skipLinkFocuses = false }: ConsoleShellProps) {
  const { t } = useI18n();
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [startError, setStartError] = useState<unknown>();
  const [notice, setNotice] = useState<string | undefined>();
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
  }, [focusKey]);

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
    if (mayLeave && !mayLeave()) return;
    await api.signOut().catch(() => undefined);
    setNotice(undefined);
    setSession(null);
  };

  const tablet = chromeless && !!session;

  return (
    <>
      <a className="skip-link" href="#main" onClick={skipLinkFocuses ? (event) => (event.preventDefault(), mainRef.current?.focus()) : undefined}>
        {t.skipToContent}
      </a>
      {tablet ? null : (
        <header className="app-header">
          <div className="brand">{brand}</div>
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
        <nav className="app-nav" aria-label={navLabel}>
          <ul>
            {nav(session).map((item) => (
              <li key={item.key}>
                <a
                  href={item.href}
                  aria-current={item.current ? 'page' : undefined}
                  onClick={
                    item.onFollow
                      ? (e) => {
                          if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
                          e.preventDefault();
                          item.onFollow!();
                        }
                      : undefined
                  }
                >
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
        {session && state ? <SessionContext.Provider value={state}>{children(session)}</SessionContext.Provider> : null}
      </main>
    </>
  );
}

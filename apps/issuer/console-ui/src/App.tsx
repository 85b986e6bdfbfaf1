import type { Session } from './api.js';
import { useI18n } from './i18n.js';
import { mayLeave, pathOf, useScreen, type Screen } from './router.js';
import { Anchoring } from './screens/Anchoring.js';
import { Audit } from './screens/Audit.js';
import { BulkOffers } from './screens/BulkOffers.js';
import { Credentials } from './screens/Credentials.js';
import { Issue } from './screens/Issue.js';
import { Operators } from './screens/Operators.js';
import { Tenants } from './screens/Tenants.js';
import { ConsoleShell } from './shell.js';
import { ScreenBoundary } from './ui.js';

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
  const [screen, go] = useScreen();
  const currentFor = (session: Session): Screen => {
    const allowed = screensFor(session);
    return allowed.includes(screen) ? screen : (allowed[0] ?? 'issue');
  };

  return (
    <ConsoleShell
      brand={t.appName}
      navLabel={t.mainNav}
      focusKey={screen}
      mayLeave={mayLeave}
      nav={(session) => screensFor(session).map((s) => ({ key: s, href: pathOf(s), label: t.nav[s], current: s === currentFor(session), onFollow: () => go(s) }))}
    >
      {(session) => {
        const current = currentFor(session);
        return (
          <ScreenBoundary message={t.errors['unknown']!} retry={t.retry} resetKey={current}>
            {current === 'issue' ? <Issue /> : null}
            {current === 'bulk' ? <BulkOffers /> : null}
            {current === 'credentials' ? <Credentials /> : null}
            {current === 'anchoring' ? <Anchoring /> : null}
            {current === 'audit' ? <Audit /> : null}
            {current === 'operators' ? <Operators /> : null}
            {current === 'tenants' ? <Tenants /> : null}
          </ScreenBoundary>
        );
      }}
    </ConsoleShell>
  );
}

import { createContext, useContext, useMemo } from 'react';
import type { MinimumWageTable } from '@citycred/labor';
import { ApiError, type Session } from '../api.js';
import { useI18n } from '../i18n.js';
import { ConsoleShell, type ShellNavItem } from '../shell.js';
import { ErrorBanner, Loading, ScreenBoundary, useLoad } from '../ui.js';
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
  const { e } = useEmployerTexts();
  const [route, go] = useRoute();
  const current = route.name === 'contract' || route.name === 'revise' ? 'list' : route.name;
  const navItems = (session: Session): ShellNavItem[] =>
    [
      { route: { name: 'list' } as Route, label: e.nav.list },
      ...(session.operator.role === 'auditor' ? [] : [{ route: { name: 'new' } as Route, label: e.nav.new }]),
      ...(session.operator.role === 'auditor' ? [] : [{ route: { name: 'workplace' } as Route, label: e.nav.workplace }]),
    ].map((item) => ({ key: item.route.name, href: hashOf(item.route), label: item.label, current: item.route.name === current }));

  return (
    <ConsoleShell brand={e.appName} navLabel={e.nav.label} focusKey={hashOf(route)} chromeless={route.name === 'workplace'} skipLinkFocuses nav={navItems}>
      {() => <EmployerScreens route={route} go={go} />}
    </ConsoleShell>
  );
}

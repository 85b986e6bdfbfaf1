import { useCallback, useEffect, useState } from 'react';

/** Where the app is served; the issuer answers every `/console/*` deep link with the app. */
export const BASE_PATH = '/console';

/** The console's screens. */
export type Screen = 'issue' | 'credentials' | 'anchoring' | 'audit' | 'operators' | 'tenants';

const SCREENS: readonly Screen[] = ['issue', 'credentials', 'anchoring', 'audit', 'operators', 'tenants'];

/** The screen a path names (the issue screen for `/console` itself and for anything unknown). */
export function screenOf(pathname: string): Screen {
  const rest = pathname.startsWith(BASE_PATH) ? pathname.slice(BASE_PATH.length) : pathname;
  const first = rest.split('/').filter(Boolean)[0] as Screen | undefined;
  return first && SCREENS.includes(first) ? first : 'issue';
}

/** The path of a screen. */
export function pathOf(screen: Screen): string {
  return `${BASE_PATH}/${screen}`;
}

/** The current screen, following the History API (back/forward), and a function to move to another. */
export function useScreen(): [Screen, (screen: Screen) => void] {
  const [screen, setScreen] = useState<Screen>(() => screenOf(window.location.pathname));
  useEffect(() => {
    const onPop = () => setScreen(screenOf(window.location.pathname));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const go = useCallback((next: Screen) => {
    if (window.location.pathname !== pathOf(next)) window.history.pushState(null, '', pathOf(next));
    setScreen(next);
  }, []);
  return [screen, go];
}

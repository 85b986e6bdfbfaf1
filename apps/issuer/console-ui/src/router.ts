import { useCallback, useEffect, useRef, useState } from 'react';

/** Where the app is served; the issuer answers every `/console/*` deep link with the app. */
export const BASE_PATH = '/console';

/** The console's screens. */
export type Screen = 'issue' | 'bulk' | 'credentials' | 'anchoring' | 'audit' | 'operators' | 'tenants';

const SCREENS: readonly Screen[] = ['issue', 'bulk', 'credentials', 'anchoring', 'audit', 'operators', 'tenants'];

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

let leaveWarning: (() => string | null) | null = null;

/**
 * Registers what the shown screen would lose if the operator left it (a warning to confirm, or null when nothing),
 * or clears it with null. One screen at a time: the bulk offers' results, shown once.
 */
export function guardLeaving(warning: (() => string | null) | null): void {
  leaveWarning = warning;
}

/** Whether the operator may leave the shown screen: asks first when it has something to lose. */
export function mayLeave(): boolean {
  const warning = leaveWarning?.();
  return !warning || window.confirm(warning);
}

/**
 * The current screen, following the History API (back/forward), and a function to move to another. Leaving a screen
 * that has something to lose ({@link guardLeaving}) asks first; a refused back/forward puts the screen's path back.
 */
export function useScreen(): [Screen, (screen: Screen) => void] {
  const [screen, setScreen] = useState<Screen>(() => screenOf(window.location.pathname));
  const shown = useRef(screen);
  shown.current = screen;
  useEffect(() => {
    const onPop = () => {
      const next = screenOf(window.location.pathname);
      if (next !== shown.current && !mayLeave()) {
        window.history.pushState(null, '', pathOf(shown.current));
        return;
      }
      setScreen(next);
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const go = useCallback((next: Screen) => {
    if (!mayLeave()) return;
    if (window.location.pathname !== pathOf(next)) window.history.pushState(null, '', pathOf(next));
    setScreen(next);
  }, []);
  return [screen, go];
}

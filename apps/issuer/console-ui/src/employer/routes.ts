import { useCallback, useEffect, useState } from 'react';

/**
 * The employer console's screens, addressed by the URL's fragment (`/employer/#/contracts/<id>`), so the issuer
 * serves one page and a bookmark or a tablet's home-screen link (`/employer/#/workplace`) opens the right screen.
 */
export type Route =
  | { readonly name: 'list' }
  | { readonly name: 'new' }
  | { readonly name: 'contract'; readonly id: string }
  | { readonly name: 'revise'; readonly id: string }
  | { readonly name: 'workplace' };

/** The route a fragment names (`#/…`); the contract list for an empty or unknown one. */
export function routeOf(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('?', 1)[0]!.split('/').filter(Boolean);
  if (parts[0] === 'new' && parts.length === 1) return { name: 'new' };
  if (parts[0] === 'workplace' && parts.length === 1) return { name: 'workplace' };
  if (parts[0] === 'contracts' && parts[1]) {
    let id: string;
    try {
      id = decodeURIComponent(parts[1]);
    } catch {
      return { name: 'list' };
    }
    if (parts.length === 2) return { name: 'contract', id };
    if (parts.length === 3 && parts[2] === 'revise') return { name: 'revise', id };
  }
  return { name: 'list' };
}

/** The fragment of a route. */
export function hashOf(route: Route): string {
  switch (route.name) {
    case 'list':
      return '#/';
    case 'new':
      return '#/new';
    case 'workplace':
      return '#/workplace';
    case 'contract':
      return `#/contracts/${encodeURIComponent(route.id)}`;
    case 'revise':
      return `#/contracts/${encodeURIComponent(route.id)}/revise`;
  }
}

/** The current route, following the fragment (links, back/forward), and a function to move to another. */
export function useRoute(): [Route, (route: Route) => void] {
  const [route, setRoute] = useState<Route>(() => routeOf(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(routeOf(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  const go = useCallback((next: Route) => {
    const hash = hashOf(next);
    if (window.location.hash !== hash) window.location.hash = hash;
    else setRoute(next);
  }, []);
  return [route, go];
}

// Hash routing: #/fleet, #/target/<id>, #/targets, #/targets/new, #/targets/<id>, #/settings.
import { useEffect, useState } from 'react';
import { assertNever } from '../../shared/result';

export type Route =
  | { page: 'fleet' }
  | { page: 'target'; id: string; range: string | null }
  | { page: 'targets'; edit: string | null }
  | { page: 'settings' }
  | { page: 'missing'; hash: string };

export function parseRoute(hash: string): Route {
  const [path, query = ''] = hash.replace(/^#\/?/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const params = new URLSearchParams(query);
  if (parts.length === 0 || (parts[0] === 'fleet' && parts.length === 1)) return { page: 'fleet' };
  if (parts[0] === 'target' && parts.length === 2) {
    return { page: 'target', id: parts[1], range: params.get('range') };
  }
  if (parts[0] === 'targets' && parts.length <= 2)
    return { page: 'targets', edit: parts[1] ?? null };
  if (parts[0] === 'settings' && parts.length === 1) return { page: 'settings' };
  return { page: 'missing', hash };
}

export function routeHash(route: Route): string {
  switch (route.page) {
    case 'fleet':
      return '#/fleet';
    case 'target':
      return `#/target/${encodeURIComponent(route.id)}${route.range ? `?range=${route.range}` : ''}`;
    case 'targets':
      return route.edit ? `#/targets/${encodeURIComponent(route.edit)}` : '#/targets';
    case 'settings':
      return '#/settings';
    case 'missing':
      return route.hash;
    default:
      return assertNever(route, 'route');
  }
}

export function navigate(route: Route, replace = false): void {
  const hash = routeHash(route);
  if (replace) {
    window.history.replaceState(null, '', hash);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    window.location.hash = hash;
  }
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = (): void => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

// Hash routing: #/fleet, #/target/<id>[/<tab>][?range=..&at=..], #/targets, #/targets/new,
// #/targets/<id>, #/settings, #/alerts, #/alerts/rules, #/alerts/notifications.
// Runbooks and incidents: #/runbooks[/<id>?incident=..&host=..], #/runs/<id>,
// #/incidents[/<id>], #/audit. Capacity: #/capacity.
import { useEffect, useState } from 'react';
import { assertNever } from '../../shared/result';

export type Route =
  | { page: 'fleet' }
  | { page: 'target'; id: string; range: string | null; at?: number | null; tab?: string | null }
  | { page: 'targets'; edit: string | null }
  | { page: 'settings' }
  | { page: 'alerts'; view: AlertsView }
  | { page: 'runbooks' }
  | { page: 'runbook'; id: string; start: RunStart }
  | { page: 'run'; id: string }
  | { page: 'incidents' }
  | { page: 'incident'; id: string }
  | { page: 'audit' }
  | { page: 'reports'; id: string | null }
  | { page: 'capacity' }
  | { page: 'checklists' }
  | { page: 'checklist-run'; id: string }
  | { page: 'handover'; id: string | null }
  | { page: 'missing'; hash: string };

export type AlertsView = 'list' | 'rules' | 'notifications';

/** What a runbook's start page is opened with: a linked incident, bound targets. */
export interface RunStart {
  incident: string | null;
  host: string | null;
  postgres: string | null;
  redis: string | null;
}

export const NO_START: RunStart = { incident: null, host: null, postgres: null, redis: null };

function startOf(params: URLSearchParams): RunStart {
  return {
    incident: params.get('incident'),
    host: params.get('host'),
    postgres: params.get('postgres'),
    redis: params.get('redis'),
  };
}

function startQuery(start: RunStart): string {
  const q = new URLSearchParams();
  for (const k of ['incident', 'host', 'postgres', 'redis'] as const) {
    const v = start[k];
    if (v) q.set(k, v);
  }
  const text = q.toString();
  return text ? `?${text}` : '';
}

const ALERT_VIEWS: AlertsView[] = ['list', 'rules', 'notifications'];

/** A time in ms since the epoch from the address bar, or null. */
function timeParam(text: string | null): number | null {
  if (text === null || !/^\d{1,15}$/.test(text)) return null;
  return Number(text);
}

export function parseRoute(hash: string): Route {
  const [path, query = ''] = hash.replace(/^#\/?/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const params = new URLSearchParams(query);
  if (parts.length === 0 || (parts[0] === 'fleet' && parts.length === 1)) return { page: 'fleet' };
  if (parts[0] === 'target' && (parts.length === 2 || parts.length === 3)) {
    const route: Extract<Route, { page: 'target' }> = {
      page: 'target',
      id: parts[1],
      range: params.get('range'),
      at: timeParam(params.get('at')),
    };
    return parts[2] ? { ...route, tab: parts[2] } : route;
  }
  if (parts[0] === 'targets' && parts.length <= 2)
    return { page: 'targets', edit: parts[1] ?? null };
  if (parts[0] === 'settings' && parts.length === 1) return { page: 'settings' };
  if (parts[0] === 'alerts' && parts.length === 1) return { page: 'alerts', view: 'list' };
  if (parts[0] === 'runbooks' && parts.length === 1) return { page: 'runbooks' };
  if (parts[0] === 'runbooks' && parts.length === 2)
    return { page: 'runbook', id: parts[1], start: startOf(params) };
  if (parts[0] === 'runs' && parts.length === 2) return { page: 'run', id: parts[1] };
  if (parts[0] === 'incidents' && parts.length === 1) return { page: 'incidents' };
  if (parts[0] === 'incidents' && parts.length === 2) return { page: 'incident', id: parts[1] };
  if (parts[0] === 'audit' && parts.length === 1) return { page: 'audit' };
  if (parts[0] === 'reports' && parts.length <= 2) return { page: 'reports', id: parts[1] ?? null };
  if (parts[0] === 'capacity' && parts.length === 1) return { page: 'capacity' };
  if (parts[0] === 'checklists' && parts.length === 1) return { page: 'checklists' };
  if (parts[0] === 'checklists' && parts.length === 2)
    return { page: 'checklist-run', id: parts[1] };
  if (parts[0] === 'handover' && parts.length <= 2)
    return { page: 'handover', id: parts[1] ?? null };
  if (parts[0] === 'alerts' && parts.length === 2) {
    const view = ALERT_VIEWS.find((v) => v === parts[1] && v !== 'list');
    if (view) return { page: 'alerts', view };
  }
  return { page: 'missing', hash };
}

export function routeHash(route: Route): string {
  switch (route.page) {
    case 'fleet':
      return '#/fleet';
    case 'target': {
      const q = new URLSearchParams();
      if (route.range) q.set('range', route.range);
      if (route.at != null) q.set('at', String(route.at));
      const query = q.toString();
      const tab = route.tab ? `/${encodeURIComponent(route.tab)}` : '';
      return `#/target/${encodeURIComponent(route.id)}${tab}${query ? `?${query}` : ''}`;
    }
    case 'targets':
      return route.edit ? `#/targets/${encodeURIComponent(route.edit)}` : '#/targets';
    case 'settings':
      return '#/settings';
    case 'alerts':
      return route.view === 'list' ? '#/alerts' : `#/alerts/${route.view}`;
    case 'runbooks':
      return '#/runbooks';
    case 'runbook':
      return `#/runbooks/${encodeURIComponent(route.id)}${startQuery(route.start)}`;
    case 'run':
      return `#/runs/${encodeURIComponent(route.id)}`;
    case 'incidents':
      return '#/incidents';
    case 'incident':
      return `#/incidents/${encodeURIComponent(route.id)}`;
    case 'audit':
      return '#/audit';
    case 'reports':
      return route.id ? `#/reports/${encodeURIComponent(route.id)}` : '#/reports';
    case 'capacity':
      return '#/capacity';
    case 'checklists':
      return '#/checklists';
    case 'checklist-run':
      return `#/checklists/${encodeURIComponent(route.id)}`;
    case 'handover':
      return route.id ? `#/handover/${encodeURIComponent(route.id)}` : '#/handover';
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

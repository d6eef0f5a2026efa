// The shell: navigation, connection banner, host key notices, shortcuts and the page.
import { useEffect, useRef, useState } from 'react';
import { assertNever } from '../../shared/result';
import type { HostKeyPrompt, Target, TargetStatus } from '../../shared/types';
import { Banner } from './components/Banner';
import { OfflineNotice } from './components/OfflineNotice';
import { HealthBadge } from './components/Health';
import { HostKeyDialog } from './components/HostKeyDialog';
import { ShortcutsDialog, useShortcuts } from './components/Shortcuts';
import { useLiveAlerts } from './alerts-live';
import { useOpenIncidents } from './incidents-live';
import { AlertsContainer } from './containers/AlertsContainer';
import { AuditContainer } from './containers/AuditContainer';
import { CapacityContainer } from './containers/CapacityContainer';
import { ChecklistRunContainer } from './containers/ChecklistRunContainer';
import { ChecklistsContainer } from './containers/ChecklistsContainer';
import { IncidentContainer } from './containers/IncidentContainer';
import { IncidentsContainer } from './containers/IncidentsContainer';
import { RunbookContainer } from './containers/RunbookContainer';
import { RunbooksContainer } from './containers/RunbooksContainer';
import { RunContainer } from './containers/RunContainer';
import { FleetContainer } from './containers/FleetContainer';
import { HandoverContainer } from './containers/HandoverContainer';
import { NotificationsContainer } from './containers/NotificationsContainer';
import { ReportContainer } from './containers/ReportContainer';
import { ReportsContainer } from './containers/ReportsContainer';
import { RulesContainer } from './containers/RulesContainer';
import { SettingsContainer } from './containers/SettingsContainer';
import { TargetContainer } from './containers/TargetContainer';
import { TargetsContainer } from './containers/TargetsContainer';
import { HEALTH_ORDER } from './figures';
import { useClient, useConnection } from './hooks';
import { useInventory } from './inventory';
import { UnauthorizedPage } from './pages/UnauthorizedPage';
import { navigate, routeHash, useRoute, type Route } from './router';
import './runbooks.css';
import './reports.css';
import './checklists.css';
import './handover.css';
import './offline.css';
import './capacity.css';

export function App(): React.ReactElement {
  const conn = useConnection();
  const route = useRoute();
  const [help, setHelp] = useState(false);
  const mainRef = useRef<HTMLElement>(null);
  useShortcuts({ route, onHelp: () => setHelp(true) });

  const firstRoute = useRef(true);

  // After a page change, keyboard focus starts at the new page (not on the first load).
  useEffect(() => {
    if (firstRoute.current) {
      firstRoute.current = false;
      return;
    }
    mainRef.current?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }, [route.page, route.page === 'target' ? route.id : '']);

  useDocumentTitle(route, conn.state === 'offline');

  if (conn.state === 'unauthorized') return <UnauthorizedPage detail={conn.detail} />;

  return (
    <div className="app">
      <a className="skip-link" href="#content" onClick={skipToContent}>
        Skip to content
      </a>
      <Nav route={route} onHelp={() => setHelp(true)} />
      <div className="main">
        <Banner />
        <OfflineNotice />
        <HostKeyNotices />
        <main id="content" ref={mainRef} tabIndex={-1}>
          <Page route={route} />
        </main>
      </div>
      {help && <ShortcutsDialog onClose={() => setHelp(false)} />}
    </div>
  );
}

function skipToContent(e: React.MouseEvent): void {
  e.preventDefault();
  document.getElementById('content')?.focus();
}

function Page({ route }: { route: Route }): React.ReactElement {
  switch (route.page) {
    case 'fleet':
      return <FleetContainer />;
    case 'target':
      return (
        <TargetContainer
          key={route.id}
          id={route.id}
          rangeId={route.range}
          at={route.at ?? null}
          tab={route.tab ?? null}
        />
      );
    case 'targets':
      return <TargetsContainer edit={route.edit} />;
    case 'settings':
      return <SettingsContainer />;
    case 'alerts':
      return route.view === 'rules' ? (
        <RulesContainer />
      ) : route.view === 'notifications' ? (
        <NotificationsContainer />
      ) : (
        <AlertsContainer />
      );
    case 'runbooks':
      return <RunbooksContainer />;
    case 'runbook':
      return <RunbookContainer key={routeHash(route)} id={route.id} start={route.start} />;
    case 'run':
      return <RunContainer key={route.id} id={route.id} />;
    case 'incidents':
      return <IncidentsContainer />;
    case 'incident':
      return <IncidentContainer key={route.id} id={route.id} />;
    case 'audit':
      return <AuditContainer />;
    case 'reports':
      return route.id ? <ReportContainer key={route.id} id={route.id} /> : <ReportsContainer />;
    case 'capacity':
      return <CapacityContainer />;
    case 'checklists':
      return <ChecklistsContainer />;
    case 'checklist-run':
      return <ChecklistRunContainer key={route.id} id={route.id} />;
    case 'handover':
      return <HandoverContainer key={route.id ?? ''} id={route.id} />;
    case 'missing':
      return (
        <section className="page">
          <h1>Page not found</h1>
          <p>
            There is no page at <code>{route.hash}</code>.{' '}
            <a href="#/fleet">Go to the fleet overview</a>.
          </p>
        </section>
      );
    default:
      return assertNever(route, 'route');
  }
}

interface NavLinkProps {
  to: Route;
  current: boolean;
  keyHint?: string;
  children: React.ReactNode;
}

function NavLink({ to, current, keyHint, children }: NavLinkProps): React.ReactElement {
  return (
    <a href={routeHash(to)} className="nav-link" aria-current={current ? 'page' : undefined}>
      <span className="nav-text">{children}</span>
      {keyHint && (
        <kbd className="nav-key" aria-label={`shortcut ${keyHint}`}>
          {keyHint}
        </kbd>
      )}
    </a>
  );
}

function Nav({ route, onHelp }: { route: Route; onHelp: () => void }): React.ReactElement {
  const inv = useInventory();
  const client = useClient();
  const groups = groupTargets(inv.targets ?? [], inv.statuses);
  return (
    <nav className="sidebar" aria-label="Main">
      <div className="brand">
        Opsdeck <span className="transport">{client.transport === 'browser' ? 'browser' : ''}</span>
      </div>
      <NavLink to={{ page: 'fleet' }} current={route.page === 'fleet'} keyHint="F">
        Fleet
      </NavLink>
      <NavLink to={{ page: 'alerts', view: 'list' }} current={route.page === 'alerts'} keyHint="A">
        Alerts <NavFiring />
      </NavLink>
      <NavLink
        to={{ page: 'incidents' }}
        current={route.page === 'incidents' || route.page === 'incident'}
        keyHint="I"
      >
        Incidents <NavOpenIncidents />
      </NavLink>
      <NavLink
        to={{ page: 'runbooks' }}
        current={route.page === 'runbooks' || route.page === 'runbook' || route.page === 'run'}
        keyHint="R"
      >
        Runbooks
      </NavLink>
      <NavLink to={{ page: 'handover', id: null }} current={route.page === 'handover'}>
        Handover
      </NavLink>
      <NavLink
        to={{ page: 'checklists' }}
        current={route.page === 'checklists' || route.page === 'checklist-run'}
      >
        Checklists
      </NavLink>
      <NavLink to={{ page: 'capacity' }} current={route.page === 'capacity'}>
        Capacity
      </NavLink>
      <NavLink to={{ page: 'reports', id: null }} current={route.page === 'reports'}>
        Reports
      </NavLink>
      <NavLink to={{ page: 'targets', edit: null }} current={route.page === 'targets'} keyHint="T">
        Targets
      </NavLink>
      <NavLink to={{ page: 'settings' }} current={route.page === 'settings'} keyHint="S">
        Settings
      </NavLink>
      <div className="nav-targets">
        {groups.map(([group, items]) => (
          <div key={group} className="nav-group">
            <div className="nav-group-name">{group || 'No group'}</div>
            <ul>
              {items.map(({ target, status }) => (
                <li key={target.id}>
                  <a
                    className="nav-target"
                    href={routeHash({ page: 'target', id: target.id, range: null })}
                    aria-current={
                      route.page === 'target' && route.id === target.id ? 'page' : undefined
                    }
                  >
                    <HealthBadge health={status?.health ?? 'pending'} compact />
                    <span className="nav-target-name">{target.name}</span>
                  </a>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </div>
      <button type="button" className="nav-help" onClick={onHelp}>
        Keyboard shortcuts <kbd>?</kbd>
      </button>
    </nav>
  );
}

/** "2 open" beside the Incidents link; nothing when none is open or runbooks are missing. */
function NavOpenIncidents(): React.ReactElement | null {
  const n = useOpenIncidents();
  if (n === 0) return null;
  return <span className="nav-count">{n} open</span>;
}

/** "3 firing" beside the Alerts link; nothing when nothing fires. */
function NavFiring(): React.ReactElement | null {
  const live = useLiveAlerts();
  let n = 0;
  for (const c of live.firing.values()) n += c;
  if (n === 0) return null;
  return <span className="nav-count">{n} firing</span>;
}

type Item = { target: Target; status: TargetStatus | undefined };

function groupTargets(targets: Target[], statuses: Map<string, TargetStatus>): [string, Item[]][] {
  const groups = new Map<string, Item[]>();
  for (const target of targets) {
    const list = groups.get(target.group) ?? [];
    list.push({ target, status: statuses.get(target.id) });
    groups.set(target.group, list);
  }
  for (const list of groups.values())
    list.sort((a, b) => a.target.name.localeCompare(b.target.name));
  return [...groups.entries()].sort(([a], [b]) =>
    a === '' ? 1 : b === '' ? -1 : a.localeCompare(b),
  );
}

/** One line per target whose host key waits for a decision, with a button to review it. */
function HostKeyNotices(): React.ReactElement | null {
  const inv = useInventory();
  const client = useClient();
  const [open, setOpen] = useState<HostKeyPrompt | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  const prompts = [...inv.statuses.values()]
    .filter((s) => s.hostKey !== null)
    .sort((a, b) => HEALTH_ORDER[a.health] - HEALTH_ORDER[b.health]);
  if (prompts.length === 0 && outcome === null) return null;
  const nameOf = (id: string): string => inv.targets?.find((t) => t.id === id)?.name ?? id;

  async function accept(p: HostKeyPrompt): Promise<void> {
    const result = await client.acceptHostKey({ targetId: p.targetId, fingerprint: p.fingerprint });
    setOpen(null);
    setOutcome(
      `Host key of ${nameOf(p.targetId)} accepted. Connection test: ${result.ok ? 'OK' : 'failed'}` +
        ` — ${result.message}`,
    );
    inv.reload();
  }

  return (
    <div className="notices">
      {prompts.map((s) => {
        const p = s.hostKey!;
        const changed = p.knownFingerprint !== null;
        return (
          <div
            key={s.targetId}
            className={changed ? 'notice notice-bad' : 'notice notice-warn'}
            role="status"
          >
            <span className="notice-icon" aria-hidden="true">
              {changed ? '✕' : '!'}
            </span>
            <span>
              {changed ? (
                <>
                  <strong>Host key changed</strong> for {nameOf(s.targetId)} ({p.host}:{p.port}):
                  connection refused.
                </>
              ) : (
                <>
                  <strong>New host key</strong> from {nameOf(s.targetId)} ({p.host}:{p.port}) waits
                  for your decision.
                </>
              )}
            </span>
            <button type="button" onClick={() => setOpen(p)}>
              {changed ? 'Details' : 'Review key'}
            </button>
          </div>
        );
      })}
      {outcome && (
        <div className="notice notice-info" role="status">
          <span>{outcome}</span>
          <button type="button" onClick={() => setOutcome(null)}>
            Dismiss
          </button>
        </div>
      )}
      {open && (
        <HostKeyDialog
          prompt={open}
          targetName={nameOf(open.targetId)}
          onAccept={() => accept(open)}
          onClose={() => setOpen(null)}
        />
      )}
    </div>
  );
}

export function goToTarget(id: string): void {
  navigate({ page: 'target', id, range: null });
}

/** "(2 problems) web-1 · Opsdeck": readable among many tabs, says when offline. */
function useDocumentTitle(route: Route, offline: boolean): void {
  const inv = useInventory();
  const problems = [...inv.statuses.values()].filter(
    (s) => s.health === 'unreachable' || s.health === 'degraded',
  ).length;
  const page = pageTitle(route, (id) => inv.targets?.find((t) => t.id === id)?.name ?? id);
  const prefix = offline
    ? '(offline) '
    : problems > 0
      ? `(${problems} problem${problems === 1 ? '' : 's'}) `
      : '';
  useEffect(() => {
    document.title = `${prefix}${page} · Opsdeck`;
  }, [prefix, page]);
}

function pageTitle(route: Route, nameOf: (id: string) => string): string {
  switch (route.page) {
    case 'fleet':
      return 'Fleet';
    case 'target':
      return nameOf(route.id);
    case 'targets':
      return 'Targets';
    case 'settings':
      return 'Settings';
    case 'alerts':
      return route.view === 'rules'
        ? 'Alert rules'
        : route.view === 'notifications'
          ? 'Notifications and silences'
          : 'Alerts';
    case 'runbooks':
      return 'Runbooks';
    case 'runbook':
      return 'Runbook';
    case 'run':
      return 'Run';
    case 'incidents':
      return 'Incidents';
    case 'incident':
      return 'Incident';
    case 'audit':
      return 'Audit log';
    case 'reports':
      return route.id ? 'Report' : 'Reports';
    case 'capacity':
      return 'Capacity';
    case 'checklists':
      return 'Checklists';
    case 'checklist-run':
      return 'Checklist run';
    case 'handover':
      return 'Shift handover';
    case 'missing':
      return 'Not found';
    default:
      return assertNever(route, 'route');
  }
}

// The runbooks feature as one object the app holds: runs, incidents, the escalation clock.
import { join } from 'node:path';
import type { DesktopNotifier } from '../alerts/notify';
import type { ApiEventBus } from '../dispatch';
import { createLogger } from '../log';
import type { Connections } from '../monitor/connections';
import type { Store } from '../store';
import { type EscalationChannels, IncidentService } from './incidents';
import { RunService } from './service';

const log = createLogger('runbooks');
export const ESCALATION_TICK_MS = 15_000;

export interface RunbooksDeps {
  store: Store;
  connections: Connections;
  events: ApiEventBus;
  operator: string;
  audit: (targetId: string | null, action: string, detail: string, result: string) => void;
  appRoot: string;
  desktop: DesktopNotifier | null;
  /** Where escalation notices go besides the desktop (the alerts' channels). */
  channels?: EscalationChannels | null;
  /** Injected clock (tests); Date.now otherwise. */
  now?: () => number;
  waitScale?: number;
}

/** Where the shipped runbook files are: the source tree, or beside the built main bundle. */
export function builtinDirs(appRoot: string): string[] {
  return [
    join(appRoot, 'src', 'main', 'runbooks', 'builtin'),
    join(appRoot, 'out', 'main', 'runbooks'),
    join(__dirname, 'runbooks'),
  ];
}

export class Runbooks {
  readonly runs: RunService;
  readonly incidents: IncidentService;

  constructor(deps: RunbooksDeps) {
    this.runs = new RunService({ ...deps, builtinDirs: builtinDirs(deps.appRoot) });
    this.incidents = new IncidentService({ ...deps, runs: this.runs });
    this.runs.link(this.incidents);
  }

  tick(now: number): void {
    try {
      this.incidents.tick(now);
    } catch (err) {
      log.error('escalation clock failed', { error: (err as Error).message });
    }
  }

  stop(): void {
    this.runs.stop();
  }
}

// The renderer's one way to the backend: the OpsdeckApi contract over Electron IPC (preload
// bridge) or, in browser mode, over HTTP POST /api/<method> plus a WebSocket for events.
import type { ApiEvents, EventName, MethodName, OpsdeckApi } from '../../shared/api';
import type { ApiError } from '../../shared/result';

/** Every contract method, checked by the compiler against the contract in both directions. */
const METHODS = {
  appInfo: true,
  listTargets: true,
  saveTarget: true,
  deleteTarget: true,
  testTarget: true,
  acceptHostKey: true,
  importSshConfig: true,
  fleet: true,
  statuses: true,
  listSeries: true,
  query: true,
  snapshot: true,
  getSettings: true,
  saveSettings: true,
  listAlerts: true,
  alertHistory: true,
  ackAlert: true,
  listRules: true,
  saveRule: true,
  deleteRule: true,
  previewRule: true,
  exportRules: true,
  importRules: true,
  listSilences: true,
  saveSilence: true,
  deleteSilence: true,
  listChannels: true,
  saveChannel: true,
  deleteChannel: true,
  testChannel: true,
  listDeliveries: true,
  anomalyBand: true,
  auditLog: true,
  carePgHealth: true,
  careSignalBackend: true,
  careApplySetting: true,
  carePlanMaintenance: true,
  careRunMaintenance: true,
  careCancelMaintenance: true,
  careListRuns: true,
  careGetRun: true,
  careListSchedules: true,
  careSaveSchedule: true,
  careDeleteSchedule: true,
  careBackupPreflight: true,
  careStartBackup: true,
  careListBackups: true,
  careVerifyBackup: true,
  careGetPolicy: true,
  careSavePolicy: true,
  careRunRetention: true,
  careObjectives: true,
  careRedisHealth: true,
  careRedisScan: true,
  careRedisPersistence: true,
  careRedisBgsave: true,
  listRunbooks: true,
  getRunbook: true,
  planRun: true,
  startRun: true,
  getRun: true,
  listRuns: true,
  runStep: true,
  skipStep: true,
  decide: true,
  addRunNote: true,
  abortRun: true,
  exportRun: true,
  listIncidents: true,
  getIncident: true,
  openIncident: true,
  updateIncident: true,
  ackIncident: true,
  addIncidentNote: true,
  exportIncident: true,
  getEscalation: true,
  saveEscalation: true,
  getRunbookSettings: true,
  saveRunbookSettings: true,
  verifyAudit: true,
  listReports: true,
  getReport: true,
  generateReport: true,
  exportReport: true,
  deleteReport: true,
  getReportSettings: true,
  saveReportSettings: true,
  listChecklists: true,
  startChecklistRun: true,
  getChecklistRun: true,
  listChecklistRuns: true,
  tickItem: true,
  refreshChecklistRun: true,
  finishChecklistRun: true,
  getChecklistSettings: true,
  saveChecklistSettings: true,
  handoverCurrent: true,
  handoverCompose: true,
  handoverSave: true,
  handoverHandOver: true,
  handoverAck: true,
  handoverGet: true,
  handoverList: true,
  handoverExport: true,
  capacity: true,
  capacitySeries: true,
} satisfies Record<MethodName, true>;

const EVENTS = {
  sample: true,
  status: true,
  alert: true,
  careProgress: true,
  run: true,
  runOutput: true,
  incident: true,
} satisfies Record<EventName, true>;

const TOKEN_KEY = 'opsdeck.token';

export type TransportKind = 'electron' | 'browser';

/**
 * online: calls and events flow. offline: the backend does not answer. connecting: not
 * known yet. unauthorized: the browser-mode token is missing or refused.
 */
export type LinkState = 'connecting' | 'online' | 'offline' | 'unauthorized';

export interface Connection {
  state: LinkState;
  /** When the current state (and live flag) began, ms since epoch. */
  since: number;
  /** True when pushed events arrive (the WebSocket is open, or Electron IPC). */
  live: boolean;
  /** The last time a call or an event succeeded. */
  lastContactAt: number | null;
  /** For unauthorized: why, in plain words. */
  detail: string | null;
}

export interface OpsdeckClient extends OpsdeckApi {
  readonly transport: TransportKind;
  on<E extends EventName>(event: E, cb: (payload: ApiEvents[E]) => void): () => void;
  connection(): Connection;
  onConnection(cb: (c: Connection) => void): () => void;
  close(): void;
}

/** A failed call: name is the backend's error class (or a transport failure name). */
export class ApiCallError extends Error {
  constructor(
    name: string,
    message: string,
    readonly method: string,
  ) {
    super(message);
    this.name = name;
  }
}

type Dispatch = (event: string, payload: unknown) => void;

interface Transport {
  kind: TransportKind;
  call(method: MethodName, arg: unknown): Promise<unknown>;
  start(dispatch: Dispatch): void;
  stop(): void;
}

/** Keeps the link state and tells listeners when it changes. */
class ConnectionTracker {
  private wsUp = false;
  private httpUp: boolean | null = null;
  private everUp = false;
  private refused = false;
  private current: Connection;
  private listeners = new Set<(c: Connection) => void>();

  constructor(private readonly alwaysLive: boolean) {
    this.current = {
      state: alwaysLive ? 'online' : 'connecting',
      since: Date.now(),
      live: alwaysLive,
      lastContactAt: null,
      detail: null,
    };
  }

  get(): Connection {
    return this.current;
  }

  subscribe(cb: (c: Connection) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  httpOk(): void {
    this.httpUp = true;
    this.refused = false;
    this.contact();
  }

  httpFailed(): void {
    this.httpUp = false;
    this.update();
  }

  unauthorized(detail: string): void {
    this.refused = true;
    this.current = { ...this.current, detail };
    this.update();
  }

  wsOpen(): void {
    this.wsUp = true;
    this.everUp = true;
    this.refused = false;
    this.contact();
  }

  wsClosed(): void {
    this.wsUp = false;
    // The socket dropping usually means the backend went away; the next call will say.
    if (this.httpUp) this.httpUp = null;
    this.update();
  }

  /** Notes a successful exchange; listeners hear only about state changes. */
  contact(): void {
    this.current = { ...this.current, lastContactAt: Date.now() };
    this.update();
  }

  private derive(): Pick<Connection, 'state' | 'live'> {
    if (this.refused) return { state: 'unauthorized', live: false };
    if (this.alwaysLive) return { state: this.httpUp === false ? 'offline' : 'online', live: true };
    if (this.wsUp) return { state: 'online', live: true };
    if (this.httpUp === true) return { state: 'online', live: false };
    if (!this.everUp && this.httpUp === null) return { state: 'connecting', live: false };
    return { state: 'offline', live: false };
  }

  private update(): void {
    const next = this.derive();
    const prev = this.current;
    if (next.state === prev.state && next.live === prev.live) return;
    this.current = { ...prev, ...next, since: Date.now() };
    for (const cb of this.listeners) cb(this.current);
  }
}

/** Turns a decoded envelope into its value or a thrown ApiCallError. */
export function unwrapEnvelope(body: unknown, method: string): unknown {
  if (typeof body !== 'object' || body === null || !('ok' in body)) {
    throw new ApiCallError(
      'BadResponse',
      `The backend sent an unreadable answer to ${method}.`,
      method,
    );
  }
  const env = body as { ok: boolean; value?: unknown; error?: Partial<ApiError> };
  if (env.ok) return env.value;
  const name = typeof env.error?.name === 'string' ? env.error.name : 'Error';
  const message =
    typeof env.error?.message === 'string' && env.error.message !== ''
      ? env.error.message
      : `${method} failed without a message.`;
  throw new ApiCallError(name, message, method);
}

function electronTransport(bridge: OpsdeckBridge, tracker: ConnectionTracker): Transport {
  const unsubscribers: (() => void)[] = [];
  return {
    kind: 'electron',
    async call(method, arg) {
      let body: unknown;
      try {
        body = await bridge.invoke(method, arg);
      } catch (err) {
        tracker.httpFailed();
        const why = err instanceof Error ? err.message : String(err);
        throw new ApiCallError(
          'IpcFailed',
          `The Opsdeck main process did not answer ${method}: ${why}. Restart Opsdeck if this repeats.`,
          method,
        );
      }
      tracker.httpOk();
      return unwrapEnvelope(body, method);
    },
    start(dispatch) {
      for (const event of Object.keys(EVENTS)) {
        unsubscribers.push(bridge.on(event, (payload) => dispatch(event, payload)));
      }
    },
    stop() {
      for (const off of unsubscribers.splice(0)) off();
    },
  };
}

/** Reads "#token=..." once, keeps it in sessionStorage and removes it from the address bar. */
export function takeToken(): string | null {
  const match = /(?:^#|&)token=([^&]*)/.exec(window.location.hash);
  if (match) {
    const token = decodeURIComponent(match[1]);
    window.sessionStorage.setItem(TOKEN_KEY, token);
    const url = window.location.pathname + window.location.search + '#/fleet';
    window.history.replaceState(null, '', url);
    return token;
  }
  return window.sessionStorage.getItem(TOKEN_KEY);
}

/** Delay before reconnect attempt n (0-based): 0.5 s doubling to 30 s, with jitter. */
export function backoffMs(attempt: number, random: number): number {
  const base = Math.min(30_000, 500 * 2 ** Math.min(attempt, 10));
  return Math.round(base * (0.5 + random / 2));
}

function browserTransport(token: string | null, tracker: ConnectionTracker): Transport {
  let socket: WebSocket | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let attempt = 0;
  let stopped = false;

  async function call(method: MethodName, arg: unknown): Promise<unknown> {
    if (token === null) {
      const message = 'This page was opened without its access token.';
      tracker.unauthorized(message);
      throw new ApiCallError('Unauthorized', message, method);
    }
    let res: Response;
    try {
      res = await fetch(`/api/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify(arg ?? {}),
      });
    } catch {
      tracker.httpFailed();
      throw new ApiCallError(
        'BackendUnreachable',
        'The Opsdeck backend is not answering. Check that npm run serve (or the tunnel to it) is still running.',
        method,
      );
    }
    if (res.status === 401) {
      const message =
        'The backend refused the access token (it may have been restarted with a new one).';
      tracker.unauthorized(message);
      throw new ApiCallError('Unauthorized', message, method);
    }
    if (res.status === 403) {
      const message =
        `The backend refused requests from ${window.location.host}: it answers only on the ` +
        'exact address it printed (127.0.0.1 or localhost, same port).';
      tracker.unauthorized(message);
      throw new ApiCallError('Forbidden', message, method);
    }
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      tracker.httpFailed();
      throw new ApiCallError(
        'BadResponse',
        `The backend answered ${method} with HTTP ${res.status} and no readable body.`,
        method,
      );
    }
    tracker.httpOk();
    return unwrapEnvelope(body, method);
  }

  function connect(dispatch: Dispatch): void {
    if (stopped || token === null) return;
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    const url = `${scheme}://${window.location.host}/events?token=${encodeURIComponent(token)}`;
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      tracker.wsOpen();
    };
    ws.onmessage = (msg) => receive(msg.data, dispatch);
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      tracker.wsClosed();
      if (stopped) return;
      // A restarted backend has a new token: the probe shows 401 and we stop retrying.
      call('appInfo', {}).catch(() => undefined);
      timer = setTimeout(
        () => {
          if (tracker.get().state !== 'unauthorized') connect(dispatch);
        },
        backoffMs(attempt++, Math.random()),
      );
    };
  }

  function receive(data: unknown, dispatch: Dispatch): void {
    if (typeof data !== 'string') return;
    let msg: unknown;
    try {
      msg = JSON.parse(data);
    } catch {
      return;
    }
    if (typeof msg !== 'object' || msg === null) return;
    const { event, payload } = msg as { event?: unknown; payload?: unknown };
    if (typeof event !== 'string' || !(event in EVENTS)) return;
    if (typeof payload !== 'object' || payload === null) return;
    tracker.contact();
    dispatch(event, payload);
  }

  return {
    kind: 'browser',
    call,
    start(dispatch) {
      if (token === null) tracker.unauthorized('This page was opened without its access token.');
      connect(dispatch);
    },
    stop() {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      socket?.close();
      socket = null;
    },
  };
}

/** Picks the transport: Electron when the preload bridge exists, the browser otherwise. */
export function createClient(): OpsdeckClient {
  const bridge = window.opsdeck;
  const tracker = new ConnectionTracker(bridge !== undefined);
  const transport = bridge
    ? electronTransport(bridge, tracker)
    : browserTransport(takeToken(), tracker);
  const listeners = new Map<string, Set<(payload: unknown) => void>>();

  transport.start((event, payload) => {
    for (const cb of listeners.get(event) ?? []) cb(payload);
  });

  const methods = {} as Record<MethodName, (arg: unknown) => Promise<unknown>>;
  for (const name of Object.keys(METHODS) as MethodName[]) {
    methods[name] = (arg: unknown) => transport.call(name, arg ?? {});
  }

  const extras = {
    transport: transport.kind,
    on<E extends EventName>(event: E, cb: (payload: ApiEvents[E]) => void): () => void {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      const fn = cb as (payload: unknown) => void;
      set.add(fn);
      return () => set.delete(fn);
    },
    connection: () => tracker.get(),
    onConnection: (cb: (c: Connection) => void) => tracker.subscribe(cb),
    close: () => transport.stop(),
  };
  return Object.assign(methods as unknown as OpsdeckApi, extras);
}

/** Plain words for an error caught from a call. */
export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

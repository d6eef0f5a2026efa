// The alerting service: feeds the engine each collection round and a clock, keeps rules,
// alerts, silences and channels in the store, emits the `alert` event on every state
// change and hands grouped notices to the notifier.
import { randomBytes } from 'node:crypto';
import type {
  Alert,
  AlertRule,
  AnomalyBand,
  Delivery,
  NotificationChannel,
  RulePreview,
  Silence,
} from '../../shared/alerts';
import type { MethodArg } from '../../shared/api';
import { seriesKey } from '../../shared/metrics';
import type { MetricPoint, SeriesData, SeriesRef, Target } from '../../shared/types';
import type { ApiEventBus } from '../dispatch';
import { NotFound, ValidationError } from '../errors';
import { createLogger } from '../log';
import type { SecretBox } from '../secrets/types';
import { publicAlert, type Store } from '../store';
import {
  anomalyScore,
  bandAt,
  buildProfile,
  LOOKBACK_MS,
  STEP_MS,
  type AnomalyProfile,
} from './anomaly';
import type { Point } from './conditions';
import { type Change, Engine, selectorMatches, type TargetInfo } from './engine';
import { type DesktopNotifier, type Notice, Notifier } from './notify';
import { DERIVED, defaultRules } from './pack';
import { replay } from './preview';
import { rulesFromYaml, rulesToYaml, type RuleInput } from './yaml';

const log = createLogger('alerts');
export const TICK_MS = 1000;
const FORECAST_EVERY_MS = 30_000;
const PROFILE_EVERY_MS = 3_600_000;
const PREVIEW_MAX_POINTS = 4000;
const DEFAULT_BAND_K = 4;
const SILENCE_KEEP_MS = 7 * 24 * 3_600_000;
const DELIVERY_KEEP_MS = 30 * 24 * 3_600_000;

export interface AlertServiceDeps {
  store: Store;
  events: ApiEventBus;
  secrets: SecretBox;
  operator: string;
  desktop?: DesktopNotifier | null;
  /** Retry backoff of notifications (tests shorten it). */
  backoffMs?: number;
  /** Records an operator's action in the audit log. */
  audit?: (targetId: string | null, action: string, detail: string) => void;
}

function newId(): string {
  return randomBytes(6).toString('hex');
}

function targetInfo(t: Target): TargetInfo {
  return { id: t.id, name: t.name, group: t.group, kind: t.config.kind, intervalMs: t.intervalMs };
}

function pointsOf(d: SeriesData | undefined): Point[] {
  const out: Point[] = [];
  if (!d) return out;
  d.t.forEach((t, i) => {
    const v = d.v[i];
    if (v !== null && Number.isFinite(v)) out.push({ t, v });
  });
  return out;
}

export class AlertService {
  readonly engine = new Engine(newId);
  readonly notifier: Notifier;
  private lastForecast = 0;
  private lastProfiles = 0;
  private readonly profiles = new Map<string, AnomalyProfile | null>();

  constructor(private readonly deps: AlertServiceDeps) {
    this.notifier = new Notifier({
      channels: () => this.store.alerting.listChannels(),
      secret: (id) => this.channelSecret(id),
      record: (d) => this.store.alerting.saveDelivery(d),
      desktop: deps.desktop ?? null,
      backoffMs: deps.backoffMs,
    });
    this.seedPack();
    this.engine.restore(this.store.alerting.openAlerts());
    for (const t of this.store.listTargets()) this.engine.setTarget(targetInfo(t));
    this.engine.setSilences(this.store.alerting.listSilences());
    this.commit(this.engine.setRules(this.store.alerting.listRules(), Date.now()));
    this.markStoredSeries();
  }

  /** After a restart, absent rules start from the last stored sample of each series. */
  private markStoredSeries(): void {
    for (const t of this.store.listTargets()) {
      const latest = this.store.latest(t.id);
      for (const ref of this.store.listSeries(t.id)) {
        const last = latest.get(seriesKey(ref.metric, ref.labels));
        if (last) this.engine.markSeen(t.id, ref.metric, ref.labels ?? {}, last.t);
      }
    }
  }

  get store(): Store {
    return this.deps.store;
  }

  stop(): void {
    this.notifier.stop();
  }

  // Evaluation

  /** After each collection round, on its fresh samples. */
  onRound(target: Target, t: number, points: readonly MetricPoint[]): void {
    try {
      this.commit(this.engine.round(targetInfo(target), t, points));
    } catch (err) {
      log.error('evaluation failed', { targetId: target.id, error: (err as Error).message });
    }
  }

  /** The clock: absent every tick, forecasts and model upkeep less often. */
  tick(now: number): void {
    try {
      const targets = this.store.listTargets();
      const live = new Set(targets.filter((t) => t.enabled).map((t) => t.id));
      for (const id of this.engine.targetIds()) {
        if (!live.has(id)) this.commit(this.engine.forgetTarget(id, now));
      }
      for (const t of targets) if (t.enabled) this.engine.setTarget(targetInfo(t));
      const forecasts = now - this.lastForecast >= FORECAST_EVERY_MS;
      if (forecasts) {
        this.lastForecast = now;
        this.seedWindows(now);
      }
      if (now - this.lastProfiles >= PROFILE_EVERY_MS) this.refreshProfiles(now);
      this.commit(this.engine.tick(now, forecasts));
    } catch (err) {
      log.error('timed evaluation failed', { error: (err as Error).message });
    }
  }

  targetDeleted(targetId: string): void {
    this.commit(this.engine.forgetTarget(targetId, Date.now()));
  }

  /** Persists, emits and notifies, grouped per target. */
  private commit(changes: readonly Change[]): void {
    if (changes.length === 0) return;
    const notices = new Map<string, Notice>();
    for (const c of changes) {
      const t = c.transitions.map((x) => ({
        t: c.t,
        from: x.from,
        to: x.to,
        by: x.to === 'acknowledged' ? c.alert.ackBy : null,
        note: x.to === 'acknowledged' ? c.alert.ackNote : null,
      }));
      this.store.alerting.saveAlert(c.alert, t);
      const pub = publicAlert(c.alert);
      this.deps.events.emit('alert', pub);
      if (c.alert.silenced || !c.transitions.some((x) => x.to === 'firing' || x.to === 'resolved'))
        continue;
      if (c.transitions.some((x) => x.from === 'pending' && x.to === 'resolved')) continue;
      const n = notices.get(c.alert.targetId) ?? {
        targetId: c.alert.targetId,
        targetName: this.store.getTarget(c.alert.targetId)?.name ?? c.alert.targetId,
        alerts: [],
      };
      n.alerts.push(pub);
      notices.set(c.alert.targetId, n);
    }
    for (const n of notices.values()) this.notifier.notify(n);
  }

  /** Fills rate and forecast windows from the store after a start or a rule change. */
  private seedWindows(now: number): void {
    for (const s of this.engine.unseeded()) {
      const windowMs = this.engine.needsOf(s.metric)?.windowMs ?? 0;
      if (windowMs === 0) continue;
      const pts = this.readPoints(
        s.targetId,
        { metric: s.metric, labels: s.labels },
        now - windowMs,
        now,
        400,
      );
      if (pts.length > 1) this.engine.seed(s.targetId, s.metric, s.labels, pts.slice(0, -1));
    }
  }

  private refreshProfiles(now: number): void {
    this.lastProfiles = now;
    this.store.alerting.pruneSilences(now - SILENCE_KEEP_MS);
    this.store.alerting.pruneDeliveries(now - DELIVERY_KEEP_MS);
    this.engine.setSilences(this.store.alerting.listSilences());
    for (const s of this.engine.anomalySeries()) {
      const profile = this.profileFor(s.targetId, { metric: s.metric, labels: s.labels }, now);
      this.engine.setProfile(s.targetId, s.key, profile);
    }
  }

  private profileFor(targetId: string, ref: SeriesRef, until: number): AnomalyProfile | null {
    const key = `${targetId} ${seriesKey(ref.metric, ref.labels)} ${Math.floor(until / PROFILE_EVERY_MS)}`;
    if (this.profiles.has(key)) return this.profiles.get(key) ?? null;
    const from = until - LOOKBACK_MS;
    const history = this.readPoints(
      targetId,
      ref,
      from,
      until,
      Math.ceil(LOOKBACK_MS / STEP_MS / 2),
    );
    const profile = buildProfile(history, until);
    if (this.profiles.size > 1000) this.profiles.clear();
    this.profiles.set(key, profile);
    return profile;
  }

  /** Stored points of a series (derived ones computed), at most about 2 × width. */
  private readPoints(
    targetId: string,
    ref: SeriesRef,
    from: number,
    to: number,
    width: number,
  ): Point[] {
    if (!(to > from)) return [];
    const derived = DERIVED[ref.metric];
    if (!derived) {
      const [d] = this.store.query({ targetId, series: [ref], from, to, width });
      return pointsOf(d);
    }
    const [num, den] = this.store.query({
      targetId,
      series: [{ metric: derived.num }, { metric: derived.den }],
      from,
      to,
      width,
    });
    const cores = new Map(pointsOf(den).map((p) => [p.t, p.v]));
    return pointsOf(num)
      .filter((p) => cores.get(p.t))
      .map((p) => ({ t: p.t, v: p.v / (cores.get(p.t) as number) }));
  }

  // Alerts

  /** Stored alerts, open ones with their latest value and message from the engine. */
  listAlerts(arg: MethodArg<'listAlerts'>): Alert[] {
    const live = new Map(this.engine.openAlerts().map((a) => [a.id, a]));
    const list = this.store.alerting.listAlerts(arg.scope, arg.targetId, arg.limit).map((a) => {
      const l = live.get(a.id);
      return l && l.state === a.state ? publicAlert(l) : a;
    });
    const rank = (a: Alert) =>
      a.state === 'firing' ? 0 : a.state === 'pending' ? 1 : a.state === 'acknowledged' ? 2 : 3;
    return list.sort((a, b) => rank(a) - rank(b) || b.startedAt - a.startedAt);
  }

  ack(id: string, note: string, now = Date.now()): Alert {
    const change = this.engine.acknowledge(id, this.deps.operator, note, now);
    if (!change) {
      const stored = this.store.alerting.getAlert(id);
      if (!stored) throw new NotFound(`No alert with id ${id}; reload the list.`);
      throw new ValidationError(
        `The alert "${stored.message}" is resolved already; nothing to acknowledge.`,
      );
    }
    this.commit([change]);
    this.audit(change.alert.targetId, 'alert-acknowledged', `${change.alert.message}: ${note}`);
    return publicAlert(change.alert);
  }

  // Rules

  listRules(): AlertRule[] {
    return this.store.alerting.listRules();
  }

  saveRule(input: RuleInput): AlertRule {
    const before = input.id ? this.listRules().find((r) => r.id === input.id) : undefined;
    const rule: AlertRule = {
      ...input,
      id: input.id ?? newId(),
      builtin: before?.builtin ?? false,
    };
    if (rule.runbook === undefined) delete rule.runbook;
    this.store.alerting.saveRule(rule);
    this.reloadRules();
    this.audit(null, before ? 'alert-rule-updated' : 'alert-rule-added', rule.name);
    return rule;
  }

  deleteRule(id: string): { deleted: boolean } {
    const rule = this.listRules().find((r) => r.id === id);
    if (rule?.builtin) {
      throw new ValidationError(
        `"${rule.name}" ships with Opsdeck: it can be disabled (or edited) but not deleted.`,
      );
    }
    const deleted = this.store.alerting.deleteRule(id);
    this.reloadRules();
    if (rule) this.audit(null, 'alert-rule-deleted', rule.name);
    return { deleted };
  }

  exportRules(): { yaml: string } {
    return { yaml: rulesToYaml(this.listRules()) };
  }

  importRules(text: string): { imported: number } {
    const rules = rulesFromYaml(text);
    for (const r of rules) this.saveRule(r);
    return { imported: rules.length };
  }

  private reloadRules(): void {
    this.commit(this.engine.setRules(this.listRules(), Date.now()));
  }

  /**
   * Adds every pack rule this file has not seen, so a newer Opsdeck's rules reach an older
   * file too. Built-in rules cannot be deleted (only disabled), so none comes back unasked.
   */
  private seedPack(): void {
    const known = new Set(this.store.alerting.listRules().map((r) => r.id));
    for (const r of defaultRules()) if (!known.has(r.id)) this.store.alerting.saveRule(r);
  }

  // Preview and bands

  preview(arg: MethodArg<'previewRule'>): RulePreview {
    const rule: AlertRule = { ...arg.rule, id: arg.rule.id ?? 'preview', builtin: false };
    const out: RulePreview = { series: [], firing: [] };
    for (const target of this.store.listTargets()) {
      const info = targetInfo(target);
      for (const ref of this.seriesFor(rule, info)) {
        const labels = ref.labels ?? {};
        const width = Math.min(arg.width, PREVIEW_MAX_POINTS);
        const pts = this.readPoints(target.id, ref, arg.from, arg.to, width);
        if (pts.length === 0) continue;
        const profile =
          rule.condition.kind === 'anomaly' ? this.profileFor(target.id, ref, arg.to) : null;
        const step = Math.max(info.intervalMs, medianStep(pts));
        const key = seriesKey(ref.metric, labels);
        out.series.push({
          metric: ref.metric,
          labels,
          resolution: 'raw',
          t: pts.map((p) => p.t),
          v: pts.map((p) => p.v),
        });
        for (const s of replay(rule, { ...info, intervalMs: step }, labels, pts, arg.to, profile)) {
          out.firing.push({ targetId: target.id, seriesKey: key, from: s.from, to: s.to });
        }
        if (out.series.length >= 64) return out;
      }
    }
    return out;
  }

  private seriesFor(rule: AlertRule, target: TargetInfo): SeriesRef[] {
    const metric = rule.selector.metric;
    if (!selectorMatches({ ...rule.selector, labels: undefined }, target, {})) return [];
    const derived = DERIVED[metric];
    if (derived) {
      const has = this.store.listSeries(target.id).some((s) => s.metric === derived.num);
      return has ? [{ metric }] : [];
    }
    return this.store
      .listSeries(target.id)
      .filter((s) => s.metric === metric && selectorMatches(rule.selector, target, s.labels ?? {}));
  }

  anomalyBand(arg: MethodArg<'anomalyBand'>): AnomalyBand {
    const pts = this.readPoints(arg.targetId, arg.series, arg.from, arg.to, arg.width);
    const profile = this.profileFor(arg.targetId, arg.series, arg.to);
    const k = this.bandWidth(arg.series.metric);
    const t = pts.map((p) => p.t);
    const band = bandAt(profile, t, k);
    return { t, ...band, anomalies: profile ? anomalousStretches(profile, pts, k) : [] };
  }

  private bandWidth(metric: string): number {
    const ks = this.listRules()
      .filter((r) => r.enabled && r.selector.metric === metric && r.condition.kind === 'anomaly')
      .map((r) => (r.condition.kind === 'anomaly' ? r.condition.sensitivity : DEFAULT_BAND_K));
    return ks.length ? Math.min(...ks) : DEFAULT_BAND_K;
  }

  // Silences

  listSilences(): Silence[] {
    return this.store.alerting.listSilences();
  }

  saveSilence(arg: MethodArg<'saveSilence'>, now = Date.now()): Silence {
    if (!arg.targetId && !arg.ruleId) {
      throw new ValidationError('A silence needs a target or a rule (or both) to cover.');
    }
    const startsAt = arg.startsAt ?? now;
    if (arg.endsAt <= startsAt) throw new ValidationError('A silence must end after it starts.');
    const s: Silence = { id: newId(), ...arg, startsAt, by: this.deps.operator };
    this.store.alerting.saveSilence(s);
    this.engine.setSilences(this.listSilences());
    const until = new Date(s.endsAt).toISOString();
    this.audit(s.targetId ?? null, 'silence-added', `${s.reason} (until ${until})`);
    return s;
  }

  deleteSilence(id: string): { deleted: boolean } {
    const deleted = this.store.alerting.deleteSilence(id);
    this.engine.setSilences(this.listSilences());
    if (deleted) this.audit(null, 'silence-deleted', id);
    return { deleted };
  }

  // Channels

  listChannels(): NotificationChannel[] {
    return this.store.alerting.listChannels();
  }

  saveChannel(arg: MethodArg<'saveChannel'>): NotificationChannel {
    const before = arg.id ? this.store.alerting.getChannel(arg.id) : null;
    if (arg.id && !before) throw new NotFound(`No notification channel with id ${arg.id}.`);
    const id = before?.id ?? newId();
    const { secret, ...rest } = arg;
    this.store.alerting.saveChannel({ ...rest, id, hasSecret: false });
    if (secret !== undefined) {
      const clear = secret === null || secret === '';
      this.store.alerting.setChannelSecret(
        id,
        clear ? null : this.deps.secrets.encrypt(secret as string),
      );
    }
    this.audit(
      null,
      before ? 'channel-updated' : 'channel-added',
      `${arg.name} (${arg.config.kind})`,
    );
    return this.store.alerting.getChannel(id) as NotificationChannel;
  }

  deleteChannel(id: string): { deleted: boolean } {
    const deleted = this.store.alerting.deleteChannel(id);
    if (deleted) this.audit(null, 'channel-deleted', id);
    return { deleted };
  }

  private audit(targetId: string | null, action: string, detail: string): void {
    this.deps.audit?.(targetId, action, detail);
  }

  async testChannel(id: string): Promise<Delivery> {
    const ch = this.store.alerting.getChannel(id);
    if (!ch) throw new NotFound(`No notification channel with id ${id}.`);
    const now = Date.now();
    const sample: Alert = {
      id: 'test',
      ruleId: 'test',
      ruleName: 'Test notification',
      targetId: 'test',
      metric: 'test',
      labels: {},
      state: 'firing',
      severity: ch.minSeverity,
      value: null,
      message: `A test notification from Opsdeck to "${ch.name}"`,
      action: 'Nothing to do: this checks the channel works.',
      startedAt: now,
      firingAt: now,
      resolvedAt: null,
      ackBy: null,
      ackNote: null,
      ackAt: null,
      flapping: false,
      silenced: false,
    };
    return this.notifier.deliverNow(ch, {
      targetId: 'test',
      targetName: 'Opsdeck',
      alerts: [sample],
    });
  }

  private channelSecret(id: string): string | null {
    const blob = this.store.alerting.getChannelSecret(id);
    return blob ? this.deps.secrets.decrypt(blob) : null;
  }
}

function medianStep(pts: readonly Point[]): number {
  if (pts.length < 2) return 0;
  const d = pts
    .slice(1)
    .map((p, i) => p.t - pts[i].t)
    .sort((a, b) => a - b);
  return d[d.length >> 1];
}

/** Runs of at least two consecutive points beyond k spreads. */
export function anomalousStretches(
  profile: AnomalyProfile,
  pts: readonly Point[],
  k: number,
): { from: number; to: number }[] {
  const out: { from: number; to: number }[] = [];
  let start: number | null = null;
  let count = 0;
  let last = 0;
  for (const p of pts) {
    const z = anomalyScore(profile, p.t, p.v);
    if (z !== null && Math.abs(z) > k) {
      if (start === null) start = p.t;
      count++;
      last = p.t;
      continue;
    }
    if (start !== null && count >= 2) out.push({ from: start, to: last });
    start = null;
    count = 0;
  }
  if (start !== null && count >= 2) out.push({ from: start, to: last });
  return out;
}

// The evaluation engine: rules against series, in memory, without I/O. The service feeds
// it rounds of samples and clock ticks (with `now`) and persists what it returns.
import type { AlertRule, Condition, RuleSelector, Silence } from '../../shared/alerts';
import type { MetricPoint, TargetKind } from '../../shared/types';
import { seriesKey } from '../../shared/metrics';
import { assertNever } from '../../shared/result';
import { anomalyVerdict, recentMean, STEP_MS, type AnomalyProfile } from './anomaly';
import {
  absentVerdict,
  forecastVerdict,
  type Point,
  rateVerdict,
  thresholdVerdict,
  type Verdict,
} from './conditions';
import {
  type AlertRecord,
  acknowledge,
  type FlapHistory,
  step,
  type Transition,
} from './lifecycle';
import { DERIVED } from './pack';
import { render } from './template';

export interface TargetInfo {
  id: string;
  name: string;
  group: string;
  kind: TargetKind;
  intervalMs: number;
}

export interface Change {
  alert: AlertRecord;
  transitions: Transition[];
  /** When the transitions happened. */
  t: number;
}

interface SeriesState {
  targetId: string;
  key: string;
  metric: string;
  labels: Record<string, string>;
  lastT: number | null;
  missedRounds: number;
  /** Decimated history for rate and forecast windows. */
  buf: Point[];
  /** Raw samples of the last STEP_MS, for the anomaly model. */
  recent: Point[];
  profile: AnomalyProfile | null;
}

/** How much history a metric's rules need kept in memory. */
interface Needs {
  windowMs: number;
  anomaly: boolean;
}

const BUF_POINTS = 400;

export function selectorMatches(
  sel: RuleSelector,
  target: Pick<TargetInfo, 'id' | 'group' | 'kind'>,
  labels: Record<string, string>,
): boolean {
  if (sel.targetId !== undefined && sel.targetId !== target.id) return false;
  if (sel.group !== undefined && sel.group !== '' && sel.group !== target.group) return false;
  if (sel.kind !== undefined && sel.kind !== target.kind) return false;
  if (sel.labels) {
    for (const [k, v] of Object.entries(sel.labels)) if (labels[k] !== v) return false;
  }
  return true;
}

function silenceCovers(s: Silence, ruleId: string, targetId: string, now: number): boolean {
  if (now < s.startsAt || now >= s.endsAt) return false;
  if (s.targetId !== undefined && s.targetId !== targetId) return false;
  if (s.ruleId !== undefined && s.ruleId !== ruleId) return false;
  return s.targetId !== undefined || s.ruleId !== undefined;
}

/** Adds series computed from others in the same round (load per core). */
export function withDerived(points: readonly MetricPoint[]): MetricPoint[] {
  const out = points.slice();
  for (const [metric, d] of Object.entries(DERIVED)) {
    const num = points.find((p) => p.metric === d.num && !p.labels);
    const den = points.find((p) => p.metric === d.den && !p.labels);
    if (!num || !den || num.value === null || !den.value) continue;
    out.push({ metric, value: num.value / den.value });
  }
  return out;
}

export class Engine {
  private rules: AlertRule[] = [];
  private byMetric = new Map<string, AlertRule[]>();
  private needs = new Map<string, Needs>();
  private silences: Silence[] = [];
  private readonly series = new Map<string, Map<string, SeriesState>>();
  private readonly alerts = new Map<string, AlertRecord>();
  private readonly flaps = new Map<string, FlapHistory>();
  private readonly targets = new Map<string, TargetInfo>();

  constructor(private readonly newId: () => string) {}

  // Configuration

  /** Replaces the rules; open alerts of removed or disabled rules resolve. */
  setRules(rules: readonly AlertRule[], now: number): Change[] {
    this.rules = rules.filter((r) => r.enabled);
    this.byMetric = new Map();
    this.needs = new Map();
    for (const r of this.rules) {
      const list = this.byMetric.get(r.selector.metric) ?? [];
      list.push(r);
      this.byMetric.set(r.selector.metric, list);
      this.addNeeds(r.selector.metric, r.condition);
    }
    const live = new Map(this.rules.map((r) => [r.id, r]));
    const changes: Change[] = [];
    for (const a of [...this.alerts.values()]) {
      const rule = live.get(a.ruleId);
      if (!rule || !this.stillWatched(rule, a)) changes.push(this.close(a, now));
      else this.refreshText(a, rule);
    }
    return changes;
  }

  setSilences(silences: readonly Silence[]): void {
    this.silences = silences.slice();
  }

  setTarget(t: TargetInfo): void {
    this.targets.set(t.id, t);
  }

  /** A deleted target: its series are forgotten and its open alerts resolve. */
  forgetTarget(targetId: string, now: number): Change[] {
    this.targets.delete(targetId);
    this.series.delete(targetId);
    const changes: Change[] = [];
    for (const a of [...this.alerts.values()]) {
      if (a.targetId === targetId) changes.push(this.close(a, now));
    }
    return changes;
  }

  /** Targets the engine holds state for. */
  targetIds(): string[] {
    return [...new Set([...this.targets.keys(), ...this.series.keys()])];
  }

  /** Open alerts from the store, after a restart. */
  restore(alerts: readonly AlertRecord[]): void {
    for (const a of alerts) this.alerts.set(alertKey(a.ruleId, a.targetId, a.seriesKey), a);
  }

  /** Seeds a series' memory from stored history (rate and forecast windows). */
  seed(
    targetId: string,
    metric: string,
    labels: Record<string, string>,
    points: readonly Point[],
  ): void {
    const s = this.ensureSeries(targetId, metric, labels);
    const live = s.buf;
    s.buf = [];
    for (const p of points) if (live.length === 0 || p.t < live[0].t) this.remember(s, p.t, p.v);
    for (const p of live) this.remember(s, p.t, p.v);
  }

  /** The last time a series was stored (after a restart, so absent rules know it). */
  markSeen(targetId: string, metric: string, labels: Record<string, string>, t: number): void {
    if (!this.byMetric.get(metric)?.some((r) => r.condition.kind === 'absent')) return;
    const s = this.ensureSeries(targetId, metric, labels);
    if (s.lastT === null || t > s.lastT) s.lastT = t;
  }

  setProfile(targetId: string, key: string, profile: AnomalyProfile | null): void {
    const s = this.series.get(targetId)?.get(key);
    if (s) s.profile = profile;
  }

  /** Series that anomaly rules watch (the service builds their profiles). */
  anomalySeries(): {
    targetId: string;
    key: string;
    metric: string;
    labels: Record<string, string>;
  }[] {
    const out = [];
    for (const bySeries of this.series.values()) {
      for (const s of bySeries.values()) {
        if (this.needs.get(s.metric)?.anomaly) out.push(s);
      }
    }
    return out;
  }

  /** Series with rate or forecast rules whose memory is empty (to seed from the store). */
  unseeded(): SeriesState[] {
    const out: SeriesState[] = [];
    for (const bySeries of this.series.values()) {
      for (const s of bySeries.values()) {
        if ((this.needs.get(s.metric)?.windowMs ?? 0) > 0 && s.buf.length <= 1) out.push(s);
      }
    }
    return out;
  }

  needsOf(metric: string): Needs | undefined {
    return this.needs.get(metric);
  }

  // Evaluation

  /** One collection round of a target: threshold, rate, anomaly and absent rules. */
  round(target: TargetInfo, t: number, points: readonly MetricPoint[]): Change[] {
    this.targets.set(target.id, target);
    const changes: Change[] = [];
    const seen = new Set<string>();
    for (const p of withDerived(points)) {
      const rules = this.byMetric.get(p.metric);
      if (!rules) continue;
      const s = this.ensureSeries(target.id, p.metric, p.labels ?? {});
      seen.add(s.key);
      s.lastT = t;
      s.missedRounds = 0;
      if (p.value !== null && Number.isFinite(p.value)) this.remember(s, t, p.value);
      for (const r of rules) {
        if (r.condition.kind === 'forecast') continue;
        if (!selectorMatches(r.selector, target, s.labels)) continue;
        const v = this.verdict(r.condition, s, target, t, p.value);
        this.apply(r, target, s, v, t, changes);
      }
    }
    this.absentInRound(target, t, seen, changes);
    return changes;
  }

  /** The clock: absent series of silent targets, and forecasts when asked. */
  tick(now: number, forecasts = true): Change[] {
    const changes: Change[] = [];
    for (const r of this.rules) {
      const kind = r.condition.kind;
      if (kind !== 'absent' && (kind !== 'forecast' || !forecasts)) continue;
      for (const [targetId, bySeries] of this.series) {
        const target = this.targets.get(targetId);
        if (!target) continue;
        for (const s of bySeries.values()) {
          if (s.metric !== r.selector.metric) continue;
          if (!selectorMatches(r.selector, target, s.labels)) continue;
          const last = s.buf[s.buf.length - 1];
          const v = this.verdict(r.condition, s, target, now, last ? last.v : null);
          this.apply(r, target, s, v, now, changes);
        }
      }
    }
    return changes;
  }

  acknowledge(alertId: string, by: string, note: string, now: number): Change | null {
    for (const [key, a] of this.alerts) {
      if (a.id !== alertId) continue;
      const r = acknowledge(a, by, note, now);
      if (!r || !r.alert) return null;
      this.alerts.set(key, r.alert);
      return { alert: r.alert, transitions: r.transitions, t: now };
    }
    return null;
  }

  openAlerts(): AlertRecord[] {
    return [...this.alerts.values()];
  }

  // Internals

  private addNeeds(metric: string, c: Condition): void {
    const n = this.needs.get(metric) ?? { windowMs: 0, anomaly: false };
    if (c.kind === 'rate' || c.kind === 'forecast') n.windowMs = Math.max(n.windowMs, c.windowMs);
    if (c.kind === 'anomaly') n.anomaly = true;
    this.needs.set(metric, n);
  }

  private ensureSeries(
    targetId: string,
    metric: string,
    labels: Record<string, string>,
  ): SeriesState {
    let bySeries = this.series.get(targetId);
    if (!bySeries) this.series.set(targetId, (bySeries = new Map()));
    const key = seriesKey(metric, labels);
    let s = bySeries.get(key);
    if (!s) {
      s = {
        targetId,
        key,
        metric,
        labels,
        lastT: null,
        missedRounds: 0,
        buf: [],
        recent: [],
        profile: null,
      };
      bySeries.set(key, s);
    }
    return s;
  }

  /** Keeps one point per window/BUF_POINTS in `buf`, and the last STEP_MS raw in `recent`. */
  private remember(s: SeriesState, t: number, v: number): void {
    const needs = this.needs.get(s.metric);
    if (!needs) return;
    if (needs.windowMs > 0) {
      const every = needs.windowMs / BUF_POINTS;
      const last = s.buf[s.buf.length - 1];
      if (!last || t - last.t >= every) s.buf.push({ t, v });
      else if (t > last.t) s.buf[s.buf.length - 1] = { t, v };
      let drop = 0;
      while (drop < s.buf.length && s.buf[drop].t < t - needs.windowMs) drop++;
      if (drop > 0) s.buf.splice(0, drop);
    } else {
      s.buf[0] = { t, v };
      s.buf.length = 1;
    }
    if (needs.anomaly) {
      s.recent.push({ t, v });
      while (s.recent.length > 0 && s.recent[0].t <= t - STEP_MS) s.recent.shift();
    }
  }

  private verdict(
    c: Condition,
    s: SeriesState,
    target: TargetInfo,
    now: number,
    value: number | null,
  ): Verdict {
    switch (c.kind) {
      case 'threshold':
        return thresholdVerdict(c, value === null ? null : { t: now, v: value });
      case 'rate':
        return rateVerdict(c, s.buf, now);
      case 'forecast':
        return forecastVerdict(c, s.buf, now);
      case 'absent':
        return absentVerdict(c, {
          lastT: s.lastT,
          now,
          intervalMs: target.intervalMs,
          missedRounds: s.missedRounds,
        });
      case 'anomaly':
        return anomalyVerdict(c, s.profile, recentMean(s.recent, now), now);
      default:
        return assertNever(c, 'condition');
    }
  }

  private absentInRound(target: TargetInfo, t: number, seen: Set<string>, out: Change[]): void {
    const bySeries = this.series.get(target.id);
    if (!bySeries) return;
    for (const s of bySeries.values()) {
      if (seen.has(s.key) || s.lastT === null) continue;
      const rules = this.byMetric.get(s.metric);
      if (!rules?.some((r) => r.condition.kind === 'absent')) continue;
      s.missedRounds++;
      for (const r of rules) {
        if (r.condition.kind !== 'absent') continue;
        if (!selectorMatches(r.selector, target, s.labels)) continue;
        this.apply(r, target, s, this.verdict(r.condition, s, target, t, null), t, out);
      }
    }
  }

  private apply(
    rule: AlertRule,
    target: TargetInfo,
    s: SeriesState,
    v: Verdict,
    now: number,
    out: Change[],
  ): void {
    if (v.active === null) return;
    const key = alertKey(rule.id, target.id, s.key);
    const current = this.alerts.get(key) ?? null;
    if (!current && !v.active) return;
    let flap = this.flaps.get(key);
    if (!flap) this.flaps.set(key, (flap = { resolves: [] }));
    const r = step(rule, current, { active: v.active, value: v.value, now }, flap, () => ({
      id: this.newId(),
      ruleId: rule.id,
      ruleName: rule.name,
      targetId: target.id,
      metric: s.metric,
      labels: s.labels,
      seriesKey: s.key,
      severity: rule.severity,
      message: '',
      action: rule.action,
      runbook: rule.runbook,
      ackBy: null,
      ackNote: null,
      ackAt: null,
      flapping: false,
      silenced: false,
    }));
    if (!r.alert) return;
    const a = r.alert;
    a.silenced = this.silences.some((x) => silenceCovers(x, rule.id, target.id, now));
    // The words follow the value only while the condition holds: an alert on its way to
    // resolved keeps the last value that broke the rule; re-rendered with the value that
    // cleared it, "Load is 1.99 per core" would stand under "Load above 2".
    if (!v.active && current?.message) a.message = current.message;
    else
      a.message = render(rule.message, {
        target: target.name,
        metric: s.metric,
        value: v.value,
        perHour: rule.condition.kind === 'rate',
        threshold: thresholdOf(rule.condition),
        labels: s.labels,
        projectedAt: v.projectedAt,
      });
    if (a.state === 'resolved') this.alerts.delete(key);
    else this.alerts.set(key, a);
    if (r.transitions.length > 0 || a.flapping !== current?.flapping) {
      out.push({ alert: a, transitions: r.transitions, t: now });
    }
  }

  /** An edited rule may no longer select an alert's series: that alert is closed. */
  private stillWatched(rule: AlertRule, a: AlertRecord): boolean {
    if (rule.selector.metric !== a.metric) return false;
    const target = this.targets.get(a.targetId);
    return !target || selectorMatches(rule.selector, target, a.labels);
  }

  private refreshText(a: AlertRecord, rule: AlertRule): void {
    a.ruleName = rule.name;
    a.severity = rule.severity;
    a.action = rule.action;
    a.runbook = rule.runbook;
  }

  private close(a: AlertRecord, now: number): Change {
    this.alerts.delete(alertKey(a.ruleId, a.targetId, a.seriesKey));
    const closed: AlertRecord = { ...a, state: 'resolved', resolvedAt: now };
    return { alert: closed, transitions: [{ from: a.state, to: 'resolved' }], t: now };
  }
}

export function alertKey(ruleId: string, targetId: string, key: string): string {
  return `${ruleId}\u0000${targetId}\u0000${key}`;
}

export function thresholdOf(c: Condition): number | null {
  switch (c.kind) {
    case 'threshold':
      return c.value;
    case 'rate':
      return c.perHour;
    case 'forecast':
      return c.limit;
    case 'absent':
      return c.intervals;
    case 'anomaly':
      return c.sensitivity;
    default:
      return assertNever(c, 'condition');
  }
}

// Alerting domain types, shared by main and renderer.
import type { SeriesData, TargetKind } from './types';

export type Severity = 'info' | 'warning' | 'critical';

export type Comparison = '>' | '>=' | '<' | '<=';

/** What must hold for a series to be "in alert". */
export type Condition =
  /** The value compared with a threshold. */
  | { kind: 'threshold'; op: Comparison; value: number }
  /** Change per hour over the window (linear fit), compared with a threshold. */
  | { kind: 'rate'; op: Comparison; perHour: number; windowMs: number }
  /** No sample for this many collection intervals (a dead collector or host). */
  | { kind: 'absent'; intervals: number }
  /** A linear fit over the window reaches `limit` within `horizonMs` (e.g. disk full in 7 d). */
  | { kind: 'forecast'; limit: number; windowMs: number; horizonMs: number }
  /** Far outside the series' own expected band (same hour of day / week), by `sensitivity`
   * robust standard deviations. */
  | { kind: 'anomaly'; sensitivity: number };

/** Which series a rule watches. Unset fields match everything. */
export interface RuleSelector {
  targetId?: string;
  group?: string;
  kind?: TargetKind;
  metric: string;
  /** Exact label values, e.g. { mount: '/' }. */
  labels?: Record<string, string>;
}

export interface AlertRule {
  id: string;
  name: string;
  enabled: boolean;
  selector: RuleSelector;
  condition: Condition;
  /** How long the condition must hold before the alert fires (and be false before it resolves). */
  forMs: number;
  severity: Severity;
  /** Template: {{target}}, {{value}}, {{metric}}, {{labels.NAME}}, {{threshold}}. */
  message: string;
  /** What to do next, in plain words; shown with the alert. */
  action: string;
  /** A runbook id to offer (once runbooks exist). */
  runbook?: string;
  /** Shipped with Opsdeck (editable; can be disabled, not deleted). */
  builtin: boolean;
}

export type AlertState = 'pending' | 'firing' | 'acknowledged' | 'resolved';

export interface Alert {
  id: string;
  ruleId: string;
  ruleName: string;
  targetId: string;
  metric: string;
  labels: Record<string, string>;
  state: AlertState;
  severity: Severity;
  /** The latest value that was evaluated (null when absent). */
  value: number | null;
  message: string;
  action: string;
  runbook?: string;
  /** When the condition first became true. */
  startedAt: number;
  firingAt: number | null;
  resolvedAt: number | null;
  ackBy: string | null;
  ackNote: string | null;
  ackAt: number | null;
  /** Fired and resolved too often in the last hour: held firing. */
  flapping: boolean;
  /** A silence covers it: shown, but not notified. */
  silenced: boolean;
}

export interface AlertTransition {
  alertId: string;
  t: number;
  from: AlertState | null;
  to: AlertState;
  by: string | null;
  note: string | null;
}

export interface Silence {
  id: string;
  targetId?: string;
  ruleId?: string;
  startsAt: number;
  endsAt: number;
  reason: string;
  by: string;
}

export type ChannelConfig =
  | { kind: 'desktop' }
  | {
      kind: 'webhook';
      url: string;
      /** JSON template with {{...}} placeholders; a default body when absent. */
      template?: string;
    }
  | {
      kind: 'email';
      host: string;
      port: number;
      secure: boolean;
      from: string;
      to: string[];
      user?: string;
    };

export interface NotificationChannel {
  id: string;
  name: string;
  enabled: boolean;
  minSeverity: Severity;
  config: ChannelConfig;
  hasSecret: boolean;
}

export interface Delivery {
  id: string;
  channelId: string;
  alertIds: string[];
  t: number;
  status: 'sent' | 'failed' | 'retrying';
  attempts: number;
  error: string | null;
}

/** A rule drawn over history: the series and the stretches where it would have fired. */
export interface RulePreview {
  series: SeriesData[];
  firing: { targetId: string; seriesKey: string; from: number; to: number }[];
}

/** Expected band of a series (anomaly model), aligned with the chart's time points. */
export interface AnomalyBand {
  t: number[];
  expected: (number | null)[];
  low: (number | null)[];
  high: (number | null)[];
  /** Stretches judged anomalous. */
  anomalies: { from: number; to: number }[];
}

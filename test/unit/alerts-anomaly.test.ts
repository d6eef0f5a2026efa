// The anomaly model measured on a synthetic series: a daily and weekly rhythm with noise,
// and injected incidents (a step, a slow drift, a one-sample spike, a drop to zero). The
// rule is evaluated through the real engine and lifecycle, minute by minute; the test
// prints the detection rate per kind of incident and the false alarms per day, and holds
// them to bounds. The README quotes these figures.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildProfile, type AnomalyProfile } from '../../src/main/alerts/anomaly';
import type { Point } from '../../src/main/alerts/conditions';
import { Engine, type TargetInfo } from '../../src/main/alerts/engine';
import type { AlertRule } from '../../src/shared/alerts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const START = Date.UTC(2026, 0, 5); // a Monday
const HISTORY_DAYS = 28;
const TEST_DAYS = 14;
const TRIALS = 8;
const NOISE = 5;

/** Deterministic PRNG (mulberry32) and a normal deviate from it. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(r() || 1e-12)) * Math.cos(2 * Math.PI * r());
}

/** Business traffic: a daily wave, quieter weekends. */
function normal(t: number): number {
  const h = ((t - START) % DAY) / HOUR;
  const weekday = Math.floor((t - START) / DAY) % 7;
  const weekend = weekday >= 5 ? 0.7 : 1;
  return weekend * (100 + 45 * Math.sin((2 * Math.PI * (h - 9)) / 24));
}

type Kind = 'step' | 'drift' | 'spike' | 'drop';
interface Incident {
  kind: Kind;
  from: number;
  to: number;
}

function effect(inc: Incident, t: number, v: number): number {
  if (t < inc.from || t >= inc.to) return v;
  switch (inc.kind) {
    case 'step':
      return v + 40;
    case 'drift':
      return v + (90 * (t - inc.from)) / (inc.to - inc.from);
    case 'spike':
      return v + 400;
    case 'drop':
      return 0;
  }
}

function incidents(r: () => number): Incident[] {
  const testStart = START + HISTORY_DAYS * DAY;
  const kinds: [Kind, number][] = [
    ['step', 6 * HOUR],
    ['drift', 24 * HOUR],
    ['spike', MIN],
    ['drop', 45 * MIN],
  ];
  // One kind per slot of 3.5 days, at a random time inside it, so they never overlap.
  return kinds.map(([kind, len], i) => {
    const slot = testStart + i * 3.5 * DAY;
    const from = slot + Math.floor((r() * (3.5 * DAY - len - 6 * HOUR)) / MIN) * MIN;
    return { kind, from, to: from + len };
  });
}

function makeSeries(seed: number, incs: Incident[]): Point[] {
  const r = rng(seed);
  const out: Point[] = [];
  const end = START + (HISTORY_DAYS + TEST_DAYS) * DAY;
  for (let t = START; t < end; t += MIN) {
    let v = normal(t) + NOISE * gauss(r);
    for (const inc of incs) v = effect(inc, t, v);
    out.push({ t, v: Math.max(0, v) });
  }
  return out;
}

const rule: AlertRule = {
  id: 'anomaly',
  name: 'Unusual traffic',
  enabled: true,
  selector: { metric: 'host.net.rx_bps' },
  condition: { kind: 'anomaly', sensitivity: 6 },
  forMs: 10 * MIN,
  severity: 'warning',
  message: '{{value}}',
  action: '',
  builtin: false,
};
const target: TargetInfo = { id: 'w', name: 'web', group: '', kind: 'ssh', intervalMs: MIN };

interface Firing {
  at: number;
}

/** Runs the rule over the test days, rebuilding the profile hourly as the service does. */
function evaluate(series: Point[]): Firing[] {
  const engine = new Engine(() => 'a');
  engine.setRules([rule], START);
  const testStart = START + HISTORY_DAYS * DAY;
  const firings: Firing[] = [];
  let profile: AnomalyProfile | null = null;
  let builtFor = -1;
  let first = series.findIndex((p) => p.t >= testStart);
  const hist: Point[] = [];
  for (let i = 0; i < first; i++) hist.push(series[i]);
  for (; first < series.length; first++) {
    const p = series[first];
    const hour = Math.floor(p.t / HOUR);
    if (hour !== builtFor && hour % 6 === 0) {
      profile = buildProfile(fiveMinuteMeans(hist, p.t), p.t);
      builtFor = hour;
    }
    const changes = engine.round(target, p.t, [{ metric: 'host.net.rx_bps', value: p.v }]);
    if (profile) engine.setProfile('w', 'host.net.rx_bps', profile);
    for (const c of changes) {
      if (c.transitions.some((x) => x.to === 'firing')) firings.push({ at: p.t });
    }
    hist.push(p);
  }
  return firings;
}

/** What the service reads from the store for the profile: 5-minute means over 4 weeks. */
function fiveMinuteMeans(points: Point[], now: number): Point[] {
  const out: Point[] = [];
  const from = now - HISTORY_DAYS * DAY;
  let bucket = -1;
  let sum = 0;
  let n = 0;
  for (const p of points) {
    if (p.t < from) continue;
    const b = Math.floor(p.t / (5 * MIN));
    if (b !== bucket && n > 0) {
      out.push({ t: bucket * 5 * MIN, v: sum / n });
      sum = 0;
      n = 0;
    }
    bucket = b;
    sum += p.v;
    n++;
  }
  if (n > 0) out.push({ t: bucket * 5 * MIN, v: sum / n });
  return out;
}

describe('anomaly model', () => {
  test('no verdict without three days of history', () => {
    const short = makeSeries(1, []).slice(0, 2 * 1440);
    assert.equal(buildProfile(short, short[short.length - 1].t + MIN), null);
  });

  test('detection rate and false alarms per day on a synthetic series', () => {
    const detected: Record<Kind, number> = { step: 0, drift: 0, spike: 0, drop: 0 };
    const delays: Record<Kind, number[]> = { step: [], drift: [], spike: [], drop: [] };
    let falseAlarms = 0;
    for (let trial = 0; trial < TRIALS; trial++) {
      const r = rng(1000 + trial);
      const incs = incidents(r);
      const firings = evaluate(makeSeries(trial + 1, incs));
      for (const f of firings) {
        const inc = incs.find((x) => f.at >= x.from && f.at <= x.to + 30 * MIN);
        if (!inc) {
          falseAlarms++;
          continue;
        }
        if (delays[inc.kind][trial] !== undefined) continue;
        detected[inc.kind]++;
        delays[inc.kind][trial] = (f.at - inc.from) / MIN;
      }
    }
    const perDay = falseAlarms / (TRIALS * TEST_DAYS);
    const rate = (k: Kind) => detected[k] / TRIALS;
    const median = (xs: number[]) => {
      const s = xs.filter((x) => x !== undefined).sort((a, b) => a - b);
      return s.length ? s[s.length >> 1] : NaN;
    };
    const lines = [
      `anomaly model over ${TRIALS} trials x ${TEST_DAYS} days (1-min samples, noise sd ${NOISE}, ` +
        `sensitivity ${rule.condition.kind === 'anomaly' ? rule.condition.sensitivity : ''}, ` +
        `for ${rule.forMs / MIN} min):`,
      `  step +40 for 6 h: detected ${(rate('step') * 100).toFixed(0)} %, median delay ${median(delays.step)} min`,
      `  slow drift to +90 over 24 h: detected ${(rate('drift') * 100).toFixed(0)} %, median delay ${median(delays.drift)} min`,
      `  drop to zero for 45 min: detected ${(rate('drop') * 100).toFixed(0)} %, median delay ${median(delays.drop)} min`,
      `  one-sample spike +400: paged ${(rate('spike') * 100).toFixed(0)} % (should be 0)`,
      `  false alarms: ${falseAlarms} in ${TRIALS * TEST_DAYS} days = ${perDay.toFixed(3)} per day`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
    assert.ok(rate('step') >= 0.9, 'steps are detected');
    assert.ok(rate('drop') >= 0.9, 'drops to zero are detected');
    assert.ok(rate('drift') >= 0.75, 'slow drifts are detected');
    assert.equal(rate('spike'), 0, 'a single spike pages nobody');
    assert.ok(perDay <= 0.1, 'fewer than one false alarm in ten days');
  });
});

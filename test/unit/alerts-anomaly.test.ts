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

interface Noise {
  name: string;
  /** Standard deviation of the per-minute noise. */
  sd: number;
  /** Share of minutes whose noise is `burst` times larger (heavy tails). */
  burstShare: number;
  burst: number;
  /** Standard deviation of each day's level, as a share of the level. */
  dayLevel: number;
}

const CALM: Noise = { name: 'gaussian noise sd 5', sd: 5, burstShare: 0, burst: 1, dayLevel: 0 };
const ROUGH: Noise = {
  name: 'noise sd 8, 2 % of minutes x4 bursts, day level sd 5 %',
  sd: 8,
  burstShare: 0.02,
  burst: 4,
  dayLevel: 0.05,
};

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

function makeSeries(seed: number, incs: Incident[], noise: Noise = CALM): Point[] {
  const r = rng(seed);
  const out: Point[] = [];
  const end = START + (HISTORY_DAYS + TEST_DAYS) * DAY;
  let day = -1;
  let level = 1;
  for (let t = START; t < end; t += MIN) {
    if (Math.floor(t / DAY) !== day) {
      day = Math.floor(t / DAY);
      level = 1 + noise.dayLevel * gauss(r);
    }
    const scale = r() < noise.burstShare ? noise.burst : 1;
    let v = level * normal(t) + noise.sd * scale * gauss(r);
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

interface Measured {
  rate(k: Kind): number;
  perDay: number;
}

/** Runs the trials with one noise model, prints the figures, returns them. */
function measure(noise: Noise): Measured {
  const detected: Record<Kind, number> = { step: 0, drift: 0, spike: 0, drop: 0 };
  const delays: Record<Kind, number[]> = { step: [], drift: [], spike: [], drop: [] };
  let falseAlarms = 0;
  for (let trial = 0; trial < TRIALS; trial++) {
    const incs = incidents(rng(1000 + trial));
    for (const f of evaluate(makeSeries(trial + 1, incs, noise))) {
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
    const v = xs.filter((x) => x !== undefined).sort((a, b) => a - b);
    return v.length ? `${v[v.length >> 1]} min` : 'n/a';
  };
  const pct = (k: Kind) => `${(rate(k) * 100).toFixed(0)} %`;
  const sens = rule.condition.kind === 'anomaly' ? rule.condition.sensitivity : 0;
  const lines = [
    `anomaly model, ${noise.name}: ${TRIALS} trials x ${TEST_DAYS} days of 1-min samples, ` +
      `sensitivity ${sens}, for ${rule.forMs / MIN} min`,
    `  step +40 for 6 h: detected ${pct('step')}, median delay ${median(delays.step)}`,
    `  slow drift to +90 over 24 h: detected ${pct('drift')}, median delay ${median(delays.drift)}`,
    `  drop to zero for 45 min: detected ${pct('drop')}, median delay ${median(delays.drop)}`,
    `  one-sample spike +400: paged ${pct('spike')} (should be 0)`,
    `  false alarms: ${falseAlarms} in ${TRIALS * TEST_DAYS} days = ${perDay.toFixed(3)} per day`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
  return { rate, perDay };
}

describe('anomaly model', () => {
  test('no verdict without three days of history', () => {
    const short = makeSeries(1, []).slice(0, 2 * 1440);
    assert.equal(buildProfile(short, short[short.length - 1].t + MIN), null);
  });

  test(`detection rate and false alarms per day, ${CALM.name}`, () => {
    const m = measure(CALM);
    assert.ok(m.rate('step') >= 0.9, 'steps are detected');
    assert.ok(m.rate('drop') >= 0.9, 'drops to zero are detected');
    assert.ok(m.rate('drift') >= 0.75, 'slow drifts are detected');
    assert.equal(m.rate('spike'), 0, 'a single spike pages nobody');
    assert.ok(m.perDay <= 0.1, 'fewer than one false alarm in ten days');
  });

  test(`detection rate and false alarms per day, ${ROUGH.name}`, () => {
    const m = measure(ROUGH);
    assert.ok(m.rate('drop') >= 0.9, 'drops to zero are detected');
    assert.ok(m.rate('step') >= 0.5, 'most steps are detected');
    assert.equal(m.rate('spike'), 0, 'a single spike pages nobody');
    assert.ok(m.perDay <= 0.25, 'at most one false alarm in four days');
  });
});

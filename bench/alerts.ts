// Alert evaluation benchmark: 1,000 rules over 500 series per collection round (10 targets
// of 50 series), mixed condition kinds, through the real engine and lifecycle; and the
// clock tick (absent and forecast rules) over the same state.
import { fileURLToPath } from 'node:url';
import { buildProfile } from '../src/main/alerts/anomaly';
import { Engine, type TargetInfo } from '../src/main/alerts/engine';
import type { AlertRule, Condition } from '../src/shared/alerts';
import type { MetricPoint } from '../src/shared/types';

const TARGETS = 10;
const METRICS_PER_TARGET = 50;
const RULES = 1000;
const INTERVAL = 10_000;
const WARMUP_ROUNDS = 400;
const MEASURED_ROUNDS = 200;
const T0 = Date.UTC(2026, 0, 5);

function conditionFor(i: number): Condition {
  switch (i % 10) {
    case 0:
      return { kind: 'rate', op: '>', perHour: 1000, windowMs: 3_600_000 };
    case 1:
      return { kind: 'anomaly', sensitivity: 6 };
    case 2:
      return { kind: 'absent', intervals: 3 };
    case 3:
      return { kind: 'forecast', limit: 1000, windowMs: 6 * 3_600_000, horizonMs: 7 * 86_400_000 };
    default:
      return { kind: 'threshold', op: i % 2 ? '>' : '<', value: i % 2 ? 95 : -5 };
  }
}

function rules(): AlertRule[] {
  return Array.from({ length: RULES }, (_, i) => ({
    id: `r${i}`,
    name: `rule ${i}`,
    enabled: true,
    selector: { metric: `bench.m${i % METRICS_PER_TARGET}` },
    condition: conditionFor(i),
    forMs: 5 * 60_000,
    severity: 'warning' as const,
    message: '{{target}} {{metric}} is {{value}}',
    action: '',
    builtin: false,
  }));
}

function round(target: number, i: number): MetricPoint[] {
  return Array.from({ length: METRICS_PER_TARGET }, (_, m) => ({
    metric: `bench.m${m}`,
    value: 50 + 20 * Math.sin((i + m + target) / 30),
  }));
}

function percentile(xs: number[], p: number): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
}

export async function run(): Promise<void> {
  let n = 0;
  const engine = new Engine(() => `a${n++}`);
  engine.setRules(rules(), T0);
  const targets: TargetInfo[] = Array.from({ length: TARGETS }, (_, i) => ({
    id: `t${i}`,
    name: `host-${i}`,
    group: '',
    kind: 'ssh',
    intervalMs: INTERVAL,
  }));
  const hist = Array.from({ length: 4 * 24 * 12 }, (_, i) => ({
    t: T0 - 4 * 86_400_000 + i * 300_000,
    v: 50 + 20 * Math.sin(i / 30),
  }));
  const profile = buildProfile(hist, T0);
  const times: number[] = [];
  for (let i = 0; i < WARMUP_ROUNDS + MEASURED_ROUNDS; i++) {
    const t = T0 + i * INTERVAL;
    const started = performance.now();
    for (const target of targets) engine.round(target, t, round(Number(target.id.slice(1)), i));
    if (i >= WARMUP_ROUNDS) times.push(performance.now() - started);
    if (i === 0) {
      for (const s of engine.anomalySeries()) engine.setProfile(s.targetId, s.key, profile);
    }
  }
  const tickStarted = performance.now();
  const ticks = 20;
  for (let i = 0; i < ticks; i++)
    engine.tick(T0 + (WARMUP_ROUNDS + MEASURED_ROUNDS) * INTERVAL + i * 1000);
  const tickMs = (performance.now() - tickStarted) / ticks;
  const series = TARGETS * METRICS_PER_TARGET;
  process.stdout.write(
    `alerts round (${RULES} rules, ${series} series) median: ${percentile(times, 0.5).toFixed(2)} ms (goal: < 50 ms)\n` +
      `alerts round p95: ${percentile(times, 0.95).toFixed(2)} ms (goal: < 50 ms)\n` +
      `alerts tick with forecasts (${RULES} rules, ${series} series): ${tickMs.toFixed(2)} ms (goal: < 50 ms)\n`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  run().catch((err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  });
}
